namespace Gnlc.Errors;

/// <summary>
/// The one refusal type of the domain: a stable machine-readable <see cref="Code"/> and a
/// <see cref="Kind"/> the HTTP layer maps to a status. Serializable so it crosses grain calls intact.
/// </summary>
[GenerateSerializer, Alias("gnlc.DomainException")]
public sealed class DomainException : Exception
{
    public DomainException()
        : this(ErrorKind.Conflict, ErrorCodes.Unspecified, "The request was refused.")
    {
    }

    public DomainException(string message)
        : this(ErrorKind.Conflict, ErrorCodes.Unspecified, message)
    {
    }

    public DomainException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = ErrorKind.Conflict;
        Code = ErrorCodes.Unspecified;
    }

    public DomainException(ErrorKind kind, string code, string message)
        : base(message)
    {
        Kind = kind;
        Code = code;
    }

    /// <summary>Stable code clients switch on, e.g. <c>quota-exceeded</c>.</summary>
    [Id(0)]
    public string Code { get; private set; }

    [Id(1)]
    public ErrorKind Kind { get; private set; }
}
