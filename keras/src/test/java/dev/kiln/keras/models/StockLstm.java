package dev.kiln.keras.models;

import static dev.kiln.dsl.Activation.RELU;

import dev.kiln.dsl.Dense;
import dev.kiln.dsl.Dropout;
import dev.kiln.dsl.Input;
import dev.kiln.dsl.LSTM;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Output;
import dev.kiln.dsl.Tensor;

/** k3_stock_lstm.keras: ten days of six prices, two stacked LSTMs, a ReLU head. */
@Model
public interface StockLstm {
    @Input(shape = {10, 6})
    Tensor prices();

    @LSTM(units = 100, returnSequences = true)
    Tensor lstm(Tensor prices);

    @Dropout(rate = 0.3)
    Tensor dropout(Tensor lstm);

    @LSTM(units = 64)
    Tensor lstm_1(Tensor dropout);

    @Dense(units = 1, activation = RELU)
    @Output(loss = Loss.MEAN_SQUARED_ERROR)
    Tensor dense(Tensor lstm_1);
}
