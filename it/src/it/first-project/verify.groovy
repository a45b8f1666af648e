// The user's project built, ran, and printed nothing it should not: no SLF4J notice, no warning from javac or Maven.
def log = new File(basedir, 'build.log').text
assert log.contains('first-project: trained, saved model.kiln, loaded; 4 of 4 XOR cases right') : 'the application did not finish as expected'
assert !log.contains('SLF4J') : 'SLF4J printed a notice'
def warnings = log.readLines().findAll { it.contains('WARN') || it.contains('warning:') }
assert warnings.isEmpty() : "the build printed warnings: ${warnings}"
return true
