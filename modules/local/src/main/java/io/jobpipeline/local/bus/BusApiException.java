package io.jobpipeline.local.bus;

/** A whole-request error, answered in the AWS JSON 1.1 error shape ({@code __type} + {@code message}). */
final class BusApiException extends RuntimeException {

    private final String errorCode;
    private final int httpStatus;

    BusApiException(String errorCode, int httpStatus, String message) {
        super(message);
        this.errorCode = errorCode;
        this.httpStatus = httpStatus;
    }

    static BusApiException validation(String message) {
        return new BusApiException("ValidationException", 400, message);
    }

    static BusApiException serialization(String message) {
        return new BusApiException("SerializationException", 400, message);
    }

    static BusApiException notFound(String message) {
        return new BusApiException("ResourceNotFoundException", 400, message);
    }

    static BusApiException alreadyExists(String message) {
        return new BusApiException("ResourceAlreadyExistsException", 400, message);
    }

    static BusApiException unknownOperation(String message) {
        return new BusApiException("UnknownOperationException", 400, message);
    }

    String errorCode() {
        return errorCode;
    }

    int httpStatus() {
        return httpStatus;
    }
}
