using Gnlc.Infrastructure;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime.Services;
using Orleans.Services;

namespace Gnlc.Time;

/// <summary>Per-silo service through which the clock grain sets this silo's test-clock offset.</summary>
[Alias("gnlc.IClockService")]
public interface IClockService : IGrainService
{
    [Alias("set-offset")]
    Task SetOffsetAsync(TimeSpan offset);
}

/// <summary>Addresses the clock service of one silo.</summary>
public interface IClockServiceClient : IGrainServiceClient<IClockService>
{
    Task SetOffsetAsync(SiloAddress silo, TimeSpan offset);
}

public sealed class ClockServiceClient(IServiceProvider services) : GrainServiceClient<IClockService>(services), IClockServiceClient
{
    public Task SetOffsetAsync(SiloAddress silo, TimeSpan offset) => GetGrainService(silo).SetOffsetAsync(offset);
}

/// <summary>Source of the durable offset a starting silo loads.</summary>
[Alias("gnlc.IClockOffsetSource")]
public interface IClockOffsetSource : IGrainWithStringKey
{
    [Alias("offset")]
    Task<TimeSpan> GetOffsetAsync();
}

/// <summary>
/// Runs on every silo: applies the offsets the clock grain pushes, and loads the current offset when
/// the silo starts, so a silo joining after the clock moved agrees with the others.
/// </summary>
[Reentrant]
public sealed partial class ClockService(GrainId id, Silo silo, ILoggerFactory loggerFactory, ClusterClock clock, IGrainFactory grains)
    : GrainService(id, silo, loggerFactory), IClockService
{
    private static readonly TimeSpan LoadRetryDelay = TimeSpan.FromMilliseconds(200);
    private readonly ILogger _logger = loggerFactory.CreateLogger<ClockService>();

    public Task SetOffsetAsync(TimeSpan offset)
    {
        clock.SetOffset(offset);
        return Task.CompletedTask;
    }

    protected override async Task StartInBackground()
    {
        await base.StartInBackground();
        var cancellation = StoppedCancellationTokenSource.Token;
        while (!clock.WhenReady.IsCompleted && !cancellation.IsCancellationRequested)
        {
            try
            {
                clock.SetOffset(await grains.GetGrain<IClockOffsetSource>(GrainKeys.Clock).GetOffsetAsync());
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogLoadFailed(_logger, exception);
                await Task.Delay(LoadRetryDelay, cancellation).ContinueWith(_ => { }, TaskScheduler.Current);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loading the test-clock offset failed; retrying")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception);
}
