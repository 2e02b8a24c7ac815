using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gnlc.Api.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Gnlc.Api.Http;

/// <summary>
/// Reads a request body as one JSON object of <typeparamref name="T"/>, strictly: the media type must
/// be JSON (415), the body at most <see cref="JsonBody.MaxBytes"/> (413), and the JSON well formed,
/// of the right types, without unknown or duplicate fields (400 with <c>errors</c>).
/// </summary>
/// <remarks>
/// Request bodies implement <see cref="IBindableFromHttpContext{TSelf}"/> through this, so that every
/// refusal is a problem with a stable code, whatever the environment.
/// </remarks>
public static class JsonBody
{
    /// <summary>The largest request body accepted: 256 KB.</summary>
    public const int MaxBytes = 256 * 1024;

    public const string MediaType = "application/json";

    /// <summary>The content type of the JSON the API writes itself (the kept city, directory page and statistics bodies).</summary>
    public const string ResponseContentType = MediaType + "; charset=utf-8";

    public static async ValueTask<T?> ReadAsync<T>(HttpContext context)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        RequireJsonMediaType(request);
        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        var body = await ReadCappedAsync(request.Body, context.RequestAborted, request.ContentLength);
        if (body.Length == 0)
        {
            throw RequestProblemException.Invalid("body", "A JSON object is required.", "The request has no body; a JSON object is required.");
        }

        RejectControlCharacters(body);
        var options = context.RequestServices.GetRequiredService<RequestJsonOptions>().Options;
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(body, options);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            throw Malformed(exception);
        }

        return value ?? throw RequestProblemException.Invalid("body", "The body must be a JSON object, not null.");
    }

    /// <summary>
    /// Text with control characters written as JSON escapes (<c>"\u0000"</c>, <c>"\u001b"</c>, C1 controls) is
    /// refused: such characters are never meant in names, reasons or forms (tab, line feed and carriage return
    /// are allowed). Raw ones are already malformed JSON, which the deserializer reports.
    /// </summary>
    private static void RejectControlCharacters(byte[] body)
    {
        // Only an escape can carry a control character here, and most bodies have none that could (an apostrophe
        // escaped as \u0027 cannot): a byte scan spares them a second full parse.
        if (!MayHoldEscapedControl(body))
        {
            return;
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = RequestJsonOptions.MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped
                    && reader.GetString() is { } text && text.Any(IsForbiddenControl))
                {
                    throw RequestProblemException.Invalid(
                        "body", "Text must not contain control characters.", "The request body is malformed: text must not contain control characters.");
                }
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // Malformed JSON (or an invalid escape): the deserializer reports it with its field.
        }
    }

    /// <summary>
    /// False only when no escape in <paramref name="body"/> can denote a control character: <c>\b</c>, <c>\f</c> and
    /// <c>\u00XX</c> in the C0, DEL and C1 ranges can; when in doubt (a cut-off escape), true.
    /// </summary>
    private static bool MayHoldEscapedControl(ReadOnlySpan<byte> body)
    {
        var at = body.IndexOf((byte)'\\');
        while (at >= 0)
        {
            if (at + 1 >= body.Length)
            {
                return true;
            }

            var kind = body[at + 1];
            if (kind is (byte)'b' or (byte)'f')
            {
                return true;
            }

            if (kind == (byte)'u')
            {
                if (at + 5 >= body.Length)
                {
                    return true;
                }

                // U+0000-U+001F, U+007F and U+0080-U+009F are \u000X, \u001X, \u007X, \u008X, \u009X.
                if (body[at + 2] == (byte)'0' && body[at + 3] == (byte)'0' && body[at + 4] is (byte)'0' or (byte)'1' or (byte)'7' or (byte)'8' or (byte)'9')
                {
                    return true;
                }
            }

            // Past the escaped character, so that an escaped backslash is not read as the start of another escape.
            var next = body[(at + 2)..].IndexOf((byte)'\\');
            at = next < 0 ? -1 : at + 2 + next;
        }

        return false;
    }

    private static bool IsForbiddenControl(char c) => char.IsControl(c) && c is not ('\t' or '\n' or '\r');

    private static void RequireJsonMediaType(HttpRequest request)
    {
        if (string.IsNullOrEmpty(request.ContentType))
        {
            var canHaveBody = request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true;
            if (!canHaveBody || request.ContentLength == 0)
            {
                throw RequestProblemException.Invalid("body", "A JSON object is required.", "The request has no body; a JSON object is required.");
            }

            throw UnsupportedMediaType("(none)");
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !(mediaType.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase)
                 || (mediaType.Type.Equals("application", StringComparison.OrdinalIgnoreCase) && mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase))))
        {
            throw UnsupportedMediaType(request.ContentType);
        }

        var charset = mediaType.Charset;
        if (charset.HasValue && !(charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)))
        {
            throw UnsupportedMediaType(request.ContentType);
        }
    }

    internal static async Task<byte[]> ReadCappedAsync(Stream body, CancellationToken cancellationToken, long? contentLength = null)
    {
        // A declared length (already checked against the cap) is read straight into an array of that size: no growing
        // buffer and no copy of it. A body that turns out longer or shorter than declared is Kestrel's error to raise.
        if (contentLength is > 0 and <= MaxBytes)
        {
            var exact = new byte[contentLength.Value];
            try
            {
                await body.ReadExactlyAsync(exact, cancellationToken);
            }
            catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw TooLarge();
            }
            catch (EndOfStreamException)
            {
                throw RequestProblemException.Invalid("body", "The body is shorter than its Content-Length.", "The request body ended before its declared length.");
            }

            return exact;
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    throw TooLarge();
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private static RequestProblemException TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, ProblemCodes.PayloadTooLarge, "Request body too large",
            string.Create(CultureInfo.InvariantCulture, $"The request body is larger than {MaxBytes / 1024} KB."));

    internal static RequestProblemException UnsupportedMediaType(string contentType) =>
        new(StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType, "Unsupported media type",
            $"The body must be '{MediaType}' (UTF-8), not '{contentType}'.");

    private static RequestProblemException Malformed(Exception exception)
    {
        var path = (exception as JsonException)?.Path;
        var field = path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        var message = exception.Message;
        var inner = exception.InnerException?.Message ?? string.Empty;
        var reason =
            inner.Contains("UTF-8", StringComparison.OrdinalIgnoreCase) || inner.Contains("transcode", StringComparison.OrdinalIgnoreCase)
                ? "The body is not valid UTF-8."
            : message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) ? "Unknown field."
            : message.Contains("uplicate", StringComparison.Ordinal) ? "Duplicate field."
            : message.Contains("maximum configured depth", StringComparison.Ordinal) ? "The JSON is nested too deeply."
            : message.Contains("DateTimeOffset", StringComparison.Ordinal) ? "Must be an ISO-8601 instant such as 2027-04-01T00:00:00Z."
            : message.Contains("could not be converted", StringComparison.Ordinal) || message.Contains("null", StringComparison.OrdinalIgnoreCase)
                ? "The value has the wrong type."
            : message.Contains("UTF-8", StringComparison.OrdinalIgnoreCase) || message.Contains("transcode", StringComparison.OrdinalIgnoreCase)
                ? "The body is not valid UTF-8."
            : "The body is not well-formed JSON.";
        return RequestProblemException.Invalid(field, reason, $"The request body is malformed: {reason}");
    }
}

/// <summary>
/// The strict JSON options request bodies are read with: the API's names (camelCase, case-insensitive),
/// no number-as-string, no integer enums, no unknown or duplicate fields, nullable annotations respected.
/// </summary>
public sealed class RequestJsonOptions
{
    public const int MaxDepth = 32;

    public RequestJsonOptions(IOptions<JsonOptions> jsonOptions)
    {
        ArgumentNullException.ThrowIfNull(jsonOptions);
        var options = new JsonSerializerOptions(jsonOptions.Value.SerializerOptions)
        {
            NumberHandling = JsonNumberHandling.Strict,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowDuplicateProperties = false,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            AllowTrailingCommas = false,
            ReadCommentHandling = JsonCommentHandling.Disallow,
            MaxDepth = MaxDepth,
        };
        for (var i = options.Converters.Count - 1; i >= 0; i--)
        {
            if (options.Converters[i] is JsonStringEnumConverter)
            {
                options.Converters.RemoveAt(i);
            }
        }

        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.MakeReadOnly();
        Options = options;
    }

    public JsonSerializerOptions Options { get; }
}
