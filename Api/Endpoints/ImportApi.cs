using System.Security.Claims;
using System.Text;
using System.Text.Json.Serialization;
using Gnlc.Api.Auth;
using Gnlc.Api.Errors;
using Gnlc.Api.Http;
using Gnlc.Import;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Gnlc.Api.Endpoints;

/// <summary>A row of <c>POST /cities/import</c> as JSON: country by ISO code or name; yearJoined Y means memberSince Y-01-01.</summary>
public sealed record MemberImportRowRequest(
    string? City,
    string? Country,
    int? YearJoined = null,
    DateTimeOffset? MemberSince = null,
    long? Population = null,
    string? Mayor = null);

/// <summary>A row of <c>POST /awards/import</c> as JSON.</summary>
public sealed record AwardImportRowRequest(
    int? Edition,
    string? City,
    string? Country,
    string? Citation = null);

/// <summary>The report of an import: <c>{imported, unchanged, refused: [{row, reason, code}]}</c>.</summary>
public sealed record ImportReportResponse(
    int Imported,
    int Unchanged,
    [property: JsonPropertyName("refused")] IReadOnlyList<ImportRefusal> Refused);

/// <summary>
/// Bulk imports (coordinator): existing members (<c>POST /cities/import</c>) and awards (<c>POST /awards/import</c>),
/// as <c>text/csv</c> (the columns of members.csv / awards.csv) or a JSON array of rows. Each row is all or
/// nothing; importing the same rows again changes nothing.
/// </summary>
public static class ImportApi
{
    public const string CsvMediaType = "text/csv";

    public static RouteGroupBuilder MapImportEndpoints(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapPost("/cities/import", ImportMembers)
            .WithTags("Cities")
            .WithName("ImportCities")
            .WithSummary("Import existing members (coordinator): CSV (city,country,year_joined,…) or a JSON array of rows; idempotent, with a report of refused rows.")
            .RequireActor()
            .Accepts<List<MemberImportRowRequest>>(JsonBody.MediaType, CsvMediaType)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesDomainProblems();

        v1.MapPost("/awards/import", ImportAwards)
            .WithTags("Awards")
            .WithName("ImportAwards")
            .WithSummary("Import awards (coordinator): CSV (edition,city,country,…) or a JSON array of rows; an absent awardee is imported as a member.")
            .RequireActor()
            .Accepts<List<AwardImportRowRequest>>(JsonBody.MediaType, CsvMediaType)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesDomainProblems();
        return v1;
    }

    public static async Task<Ok<ImportReportResponse>> ImportMembers(HttpContext http, ClaimsPrincipal user, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(http);
        var rows = await ReadAsync<MemberImportRowRequest, MemberImportRow>(
            http,
            NetworkImport.ParseMembersCsv,
            (r, i) => new MemberImportRow(i + 1, r.City, r.Country, r.YearJoined, r.MemberSince, r.Population, r.Mayor));
        return Report(await NetworkImport.ImportMembersAsync(cluster, user.Actor(), rows));
    }

    public static async Task<Ok<ImportReportResponse>> ImportAwards(HttpContext http, ClaimsPrincipal user, IClusterClient cluster)
    {
        ArgumentNullException.ThrowIfNull(http);
        var rows = await ReadAsync<AwardImportRowRequest, AwardImportRow>(
            http,
            NetworkImport.ParseAwardsCsv,
            (r, i) => new AwardImportRow(i + 1, r.Edition, r.City, r.Country, r.Citation));
        return Report(await NetworkImport.ImportAwardsAsync(cluster, user.Actor(), rows));
    }

    private static Ok<ImportReportResponse> Report(ImportReport report) =>
        TypedResults.Ok(new ImportReportResponse(report.Imported, report.Unchanged, report.Refused));

    private static async Task<IReadOnlyList<TRow>> ReadAsync<TRequest, TRow>(
        HttpContext http, Func<string, IReadOnlyList<TRow>> parseCsv, Func<TRequest, int, TRow> fromJson)
        where TRequest : class
    {
        var request = http.Request;
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            && mediaType.MediaType.Equals(CsvMediaType, StringComparison.OrdinalIgnoreCase))
        {
            if (request.ContentLength > JsonBody.MaxBytes)
            {
                throw new RequestProblemException(StatusCodes.Status413PayloadTooLarge, ProblemCodes.PayloadTooLarge, "Request body too large",
                    $"The request body is larger than {JsonBody.MaxBytes / 1024} KB.");
            }

            var body = await JsonBody.ReadCappedAsync(request.Body, http.RequestAborted);
            string text;
            try
            {
                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
            }
            catch (DecoderFallbackException exception)
            {
                throw new RequestProblemException("The body is not valid UTF-8.", exception);
            }

            return parseCsv(text);
        }

        if (request.ContentType is not null && !(mediaType?.MediaType.Equals(JsonBody.MediaType, StringComparison.OrdinalIgnoreCase) ?? false))
        {
            throw JsonBody.UnsupportedMediaType(request.ContentType);
        }

        var rows = await JsonBody.ReadAsync<List<TRequest>>(http) ?? [];
        return [.. rows.Select((r, i) => r is null
            ? throw RequestProblemException.Invalid($"[{i}]", "A row must be an object, not null.")
            : fromJson(r, i))];
    }
}
