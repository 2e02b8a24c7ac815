using System.Globalization;

namespace Gnlc.LoadGen.Measurement;

/// <summary>Workload names: the results table shows them and the target checks look them up.</summary>
internal static class WorkloadNames
{
    public const string CityGet = "read: GET /cities/{id}";
    public const string DirectoryPage = "read: GET /cities?page=1&pageSize=50";
    public const string Stats = "read: GET /network/stats";
    public const string Register = "write: register city (POST /cities)";
    public const string SaveDraft = "write: save draft (PUT application)";
    public const string MayorEndorsement = "write: mayor endorsement";
    public const string Submit = "write: submit";
    public const string CommissionEndorse = "write: commission endorse";
    public const string Mixed = "mixed: 90% reads / 10% writes";
    public const string KestrelBaseline = "baseline: bare Kestrel, city JSON";
    public const string NpgsqlBaselinePrefix = "baseline: raw Npgsql upsert";

    public static string FeedLatency(int subscribers, double rate) =>
        string.Create(CultureInfo.InvariantCulture, $"event feed: {subscribers} subscribers × {rate:0.#} events/s (delivery latency)");

    public static string FeedIdle(int subscribers) =>
        string.Create(CultureInfo.InvariantCulture, $"event feed: {subscribers} idle subscribers (connect latency)");

    public static string ScaleRegister(int cities) =>
        string.Create(CultureInfo.InvariantCulture, $"write: register city, growing to {cities} cities");

    public static string ScaleCityGet(int cities) =>
        string.Create(CultureInfo.InvariantCulture, $"read: GET /cities/{{id}} at {cities} cities");

    public static string ScaleDirectory(int cities) =>
        string.Create(CultureInfo.InvariantCulture, $"read: directory page at {cities} cities");
}

/// <summary>Keys of <see cref="WorkloadResult.Figures"/>.</summary>
internal static class FigureNames
{
    public const string Cities = "cities";
    public const string GrainRssMb = "grainRssMb";
    public const string ServerRssMb = "serverRssMb";
    public const string BytesPerCity = "bytesPerCity";
    public const string Subscribers = "subscribers";
    public const string Connected = "connected";
    public const string EventsPerSecond = "eventsPerSecond";
    public const string DeliveriesPerSecond = "deliveriesPerSecond";
    public const string Expected = "expectedDeliveries";
    public const string Delivered = "delivered";
    public const string RssPer1000Mb = "rssPer1000Mb";
    public const string HoldGrowthPercent = "holdGrowthPercent";
    public const string PayloadBytes = "payloadBytes";
    public const string BodyBytes = "bodyBytes";
}
