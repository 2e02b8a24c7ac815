namespace Gnlc.Api.Auth;

/// <summary>Bearer token validation settings (configuration section <c>Auth</c>).</summary>
public sealed class AuthSettings
{
    public const string SectionName = "Auth";

    /// <summary>Marks the development signing key: refused outside the Development environment.</summary>
    public const string DevelopmentKeyMarker = "DEVELOPMENT-ONLY";

    /// <summary>Expected <c>iss</c> claim.</summary>
    public string Issuer { get; set; } = "gnlc";

    /// <summary>Expected <c>aud</c> claim.</summary>
    public string Audience { get; set; } = "gnlc-api";

    /// <summary>OpenID Connect authority (production): keys come from its discovery document.</summary>
    public string? Authority { get; set; }

    /// <summary>Symmetric signing key (at least 32 bytes), for deployments without an authority.</summary>
    public string? SigningKey { get; set; }

    public bool UsesDevelopmentKey =>
        SigningKey?.StartsWith(DevelopmentKeyMarker, StringComparison.Ordinal) == true;
}
