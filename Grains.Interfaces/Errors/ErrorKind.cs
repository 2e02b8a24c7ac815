namespace Gnlc.Errors;

/// <summary>How a refusal maps to the HTTP contract (API.md "Errors").</summary>
public enum ErrorKind
{
    /// <summary>The input is malformed or out of range (400).</summary>
    Validation,

    /// <summary>No such city, period, application or commission (404).</summary>
    NotFound,

    /// <summary>Authenticated, but this actor may not do this (403).</summary>
    Forbidden,

    /// <summary>A domain rule refuses the change (409).</summary>
    Conflict,
}
