package dev.kiln.keras;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens an HDF5 file for the HDF5 library from its memory-mapped bytes rather than through its file channel. Read
 * through the channel, jHDF allocates every structure on the heap at the size the file declares, before reading it:
 * one flipped bit in an object header's size made it allocate 512 MB for a 20 KB file. From a mapped buffer it takes
 * slices instead, and a structure reaching past the end of the file fails at once, allocating nothing; the mapping
 * itself is off the heap. A file of 2 GB or more (beyond a buffer's int positions) is read through the channel.
 */
final class Hdf5Mapped {
    private Hdf5Mapped() {
    }

    static HdfFile open(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() >= Integer.MAX_VALUE) {
                return new HdfFile(file);
            }
            MappedByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            return HdfFile.fromByteBuffer(bytes);
        }
    }
}
