package io.github.appusers.functions;

import io.github.appusers.common.AppUsersError;
import io.github.appusers.common.ErrorCodes;

/**
 * A function call that gave no usable answer. {@link #refused()} tells a deliberate "no" from the
 * function (a 4xx status or an {@code error} field) apart from a broken or unreachable function.
 */
public final class FunctionException extends Exception {

    private final String error;
    private final int status;
    private final boolean refused;

    private FunctionException(String error, int status, boolean refused, String message) {
        super(message, null, false, false);
        this.error = error;
        this.status = status;
        this.refused = refused;
    }

    static FunctionException timeout(FunctionDefinition function) {
        return new FunctionException(ErrorCodes.FUNCTION_TIMEOUT, 504, false,
                "Function '" + function.name + "' did not answer within " + function.timeoutMs + " ms");
    }

    static FunctionException failed(FunctionDefinition function, String why) {
        return new FunctionException(ErrorCodes.FUNCTION_FAILED, 502, false,
                "Function '" + function.name + "' failed: " + why);
    }

    static FunctionException refused(FunctionDefinition function, String why) {
        return new FunctionException(ErrorCodes.FUNCTION_FAILED, 401, true,
                "Function '" + function.name + "' refused: " + why);
    }

    public String error() {
        return error;
    }

    public int status() {
        return status;
    }

    public boolean refused() {
        return refused;
    }

    public AppUsersError toError() {
        return new AppUsersError(status, error, getMessage());
    }
}
