namespace Gnlc.Api.Http;

/// <summary>
/// A 200 with a JSON body already written to bytes (the kept city, directory page and statistics bodies): the same
/// status, <c>Content-Type</c>, <c>Content-Length</c> and body as <c>TypedResults.Bytes</c>, written in one call to the
/// response's pipe, without the file result's range and precondition handling (never enabled for these bodies), its
/// logging and its async frames.
/// </summary>
public sealed class JsonBytesResult(byte[] json) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => JsonBody.ResponseContentType;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonBody.ResponseContentType;
        response.ContentLength = json.Length;
        var written = response.BodyWriter.WriteAsync(json, httpContext.RequestAborted);
        return written.IsCompletedSuccessfully ? Task.CompletedTask : written.AsTask();
    }
}
