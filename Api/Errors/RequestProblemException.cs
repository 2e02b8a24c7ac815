namespace Gnlc.Api.Errors;

/// <summary>
/// A fault in what the client sent, found before any grain is called (body not JSON, too large,
/// malformed, an invalid header). The exception handler answers it as a problem with its status and code.
/// </summary>
public sealed class RequestProblemException : Exception
{
    public RequestProblemException()
        : this(StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest, "Bad request", "The request is invalid.")
    {
    }

    public RequestProblemException(string message)
        : this(StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest, "Bad request", message)
    {
    }

    public RequestProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = StatusCodes.Status400BadRequest;
        Code = ProblemCodes.InvalidRequest;
        Title = "Bad request";
    }

    public RequestProblemException(int status, string code, string title, string detail, IDictionary<string, string[]>? errors = null)
        : base(detail)
    {
        Status = status;
        Code = code;
        Title = title;
        Errors = errors;
    }

    public int Status { get; }

    public string Code { get; }

    public string Title { get; }

    /// <summary>Field → messages, for a validation problem (400).</summary>
    public IDictionary<string, string[]>? Errors { get; }

    public static RequestProblemException Invalid(string field, string message, string? detail = null) =>
        new(StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest, "Invalid request", detail ?? message,
            new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });
}
