using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace Gnlc.Grains.Tests.Infrastructure;

/// <summary>Every grain storage serializer a deployment could store our state with: stored state must survive each.</summary>
internal static class StorageSerializers
{
    /// <summary>The silo's default (Newtonsoft JSON), System.Text.Json, and the Orleans binary serializer.</summary>
    public static IReadOnlyList<IGrainStorageSerializer> Of(IServiceProvider silo) =>
    [
        silo.GetRequiredService<IGrainStorageSerializer>(),
        new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions())),
        new OrleansGrainStorageSerializer(silo.GetRequiredService<Serializer>()),
    ];
}
