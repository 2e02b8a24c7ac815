using Gnlc.Errors;

namespace Gnlc.Domain;

/// <summary>Checks on free text shared by the rules.</summary>
internal static class Text
{
    public const int MaxShort = 200;
    public const int MaxLong = 20_000;

    /// <summary>The trimmed text, or a validation error with <paramref name="code"/> when empty or too long.</summary>
    public static string Required(string? value, string code, string field, int maxLength = MaxShort)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw DomainErrors.Validation(code, $"'{field}' must not be empty.");
        }

        return text.Length <= maxLength ? text : throw DomainErrors.Validation(code, $"'{field}' is longer than {maxLength} characters.");
    }

    public static bool IsBlank(string? value) => string.IsNullOrWhiteSpace(value);
}
