using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Gnlc.Errors;

/// <summary>
/// Lets the database drivers' exceptions cross from a silo to a client. Orleans serializes only exceptions of
/// allowed namespaces; a store fault during activation (e.g. NpgsqlException while reading state) would otherwise
/// reach the client as an unrelated codec error instead of a transient fault it can answer 503 to.
/// </summary>
public static class StoreExceptionSerialization
{
    public static IServiceCollection AddStoreExceptionSerialization(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(options =>
        {
            options.SupportedNamespacePrefixes.Add("Npgsql");
            options.SupportedNamespacePrefixes.Add("Microsoft.Data.Sqlite");
        });
}
