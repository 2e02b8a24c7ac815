namespace Gnlc.Silo.Persistence.Sqlite;

/// <summary>
/// The query texts Orleans' ADO.NET grain storage and reminder table read from <c>OrleansQuery</c> at start-up,
/// written for SQLite. Parameter names and result columns are the providers' contract (Orleans 10.4.2):
/// the providers bind parameters without a prefix, and Microsoft.Data.Sqlite matches them to <c>@Name</c>.
/// </summary>
internal static class SqliteStoreQueries
{
    /// <summary>
    /// Selects the one row of a grain state. The row is identified by the full strings the provider passes, never
    /// by its 32-bit hashes (which can collide), and a NULL key extension is kept apart from an empty one.
    /// </summary>
    private const string GrainStateKey = """
            ServiceId = @ServiceId
            AND GrainTypeString = @GrainTypeString
            AND GrainIdN0 = @GrainIdN0
            AND GrainIdN1 = @GrainIdN1
            AND GrainIdExtensionString = IFNULL(@GrainIdExtensionString, '')
            AND HasExtension = (@GrainIdExtensionString IS NOT NULL)
        """;

    /// <summary>
    /// Leads every query that writes. In WAL mode, <c>synchronous = NORMAL</c> syncs the WAL at checkpoints, not at
    /// every commit: a commit survives a crash of the process (the WAL is in the file system), and only an operating
    /// system crash or power loss can take the last commits back; the file is never corrupted. The setting belongs
    /// to the connection (Microsoft.Data.Sqlite has no keyword for it), and the providers open pooled connections
    /// of their own, so each writing query sets it; it costs no I/O.
    /// </summary>
    public const string Durability = "PRAGMA synchronous = NORMAL;\n";

    /// <summary>
    /// Returns <c>PayloadBinary</c> (NULL after a clear) and <c>Version</c>, the grain's ETag; no row when the grain
    /// never wrote.
    /// </summary>
    public const string ReadFromStorage = $"""
        SELECT PayloadBinary, Version
        FROM gnlc_grain_state
        WHERE
        {GrainStateKey};
        """;

    /// <summary>
    /// One statement, so SQLite's single writer makes the version check and the write atomic.
    /// Inserts version 1 when the grain had no ETag, or bumps the version when the grain's ETag still matches.
    /// Returns <c>NewGrainStateVersion</c>, or no row on a conflict: the provider then raises
    /// <c>InconsistentStateException</c>. The insert is only attempted when the grain had no ETag or the row exists
    /// (then it turns into the guarded update), so a stale ETag cannot recreate a deleted row.
    /// </summary>
    public const string WriteToStorage = Durability + $"""
        INSERT INTO gnlc_grain_state
            (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString, HasExtension,
             PayloadBinary, Version, ModifiedOn)
        SELECT
            @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, IFNULL(@GrainIdExtensionString, ''),
            @GrainIdExtensionString IS NOT NULL, @PayloadBinary, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE @GrainStateVersion IS NULL
            OR EXISTS (SELECT 1 FROM gnlc_grain_state WHERE
        {GrainStateKey})
        ON CONFLICT (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString, HasExtension)
        DO UPDATE SET
            PayloadBinary = excluded.PayloadBinary,
            Version = gnlc_grain_state.Version + 1,
            ModifiedOn = excluded.ModifiedOn
        WHERE gnlc_grain_state.Version = @GrainStateVersion
        RETURNING Version AS NewGrainStateVersion;
        """;

    /// <summary>
    /// Clears the payload but keeps the row and bumps its version, so a writer holding the pre-clear ETag fails.
    /// Returns the new version (the provider reads the first column), or no row on a conflict.
    /// </summary>
    public const string ClearStorage = Durability + $"""
        UPDATE gnlc_grain_state
        SET PayloadBinary = NULL,
            Version = Version + 1,
            ModifiedOn = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE
        {GrainStateKey}
            AND Version = @GrainStateVersion
        RETURNING Version AS NewGrainStateVersion;
        """;

    /// <summary>
    /// Used instead of <see cref="ClearStorage"/> when a provider sets <c>DeleteStateOnClear</c>. The provider only
    /// needs a value that differs from the grain's ETag to know the delete happened, hence <c>Version + 1</c>;
    /// no row means the ETag was stale.
    /// </summary>
    public const string DeleteStorage = Durability + $"""
        DELETE FROM gnlc_grain_state
        WHERE
        {GrainStateKey}
            AND Version = @GrainStateVersion
        RETURNING Version + 1 AS NewGrainStateVersion;
        """;

    private const string ReminderColumns = "GrainId, ReminderName, StartTime, Period, Version";

    /// <summary>
    /// Inserts with version 0 or replaces the schedule and bumps the version; returns <c>Version</c>, the
    /// reminder's ETag. <c>StartTime</c> arrives as a UTC <see cref="DateTime"/>, which Microsoft.Data.Sqlite
    /// stores as ISO-8601 text with full tick precision.
    /// </summary>
    public const string UpsertReminderRow = Durability + """
        INSERT INTO gnlc_reminder (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
        VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
        ON CONFLICT (ServiceId, GrainId, ReminderName)
        DO UPDATE SET
            StartTime = excluded.StartTime,
            Period = excluded.Period,
            GrainHash = excluded.GrainHash,
            Version = gnlc_reminder.Version + 1
        RETURNING Version;
        """;

    public const string ReadReminderRows = $"""
        SELECT {ReminderColumns}
        FROM gnlc_reminder
        WHERE ServiceId = @ServiceId AND GrainId = @GrainId;
        """;

    public const string ReadReminderRow = $"""
        SELECT {ReminderColumns}
        FROM gnlc_reminder
        WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
        """;

    /// <summary>
    /// A ring range (BeginHash, EndHash] that does not wrap. The provider binds the unsigned hashes as signed
    /// 32-bit integers and picks this query when Begin &lt; End in signed order, so the comparison is signed too.
    /// </summary>
    public const string ReadRangeRows1 = $"""
        SELECT {ReminderColumns}
        FROM gnlc_reminder
        WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
        """;

    /// <summary>A ring range that wraps around (or is the full ring when Begin = End).</summary>
    public const string ReadRangeRows2 = $"""
        SELECT {ReminderColumns}
        FROM gnlc_reminder
        WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
        """;

    /// <summary>
    /// The provider expects exactly one row with one boolean column, also when nothing matched, which a
    /// <c>DELETE ... RETURNING</c> would not give: <c>changes()</c> reports the rows the DELETE removed.
    /// </summary>
    public const string DeleteReminderRow = Durability + """
        DELETE FROM gnlc_reminder
        WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version;
        SELECT changes() > 0 AS Deleted;
        """;

    public const string DeleteReminderRows = Durability + """
        DELETE FROM gnlc_reminder WHERE ServiceId = @ServiceId;
        """;

    /// <summary>Every query by the key the providers look it up under.</summary>
    public static IReadOnlyDictionary<string, string> ByKey { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ReadFromStorageKey"] = ReadFromStorage,
        ["WriteToStorageKey"] = WriteToStorage,
        ["ClearStorageKey"] = ClearStorage,
        ["DeleteStorageKey"] = DeleteStorage,
        ["UpsertReminderRowKey"] = UpsertReminderRow,
        ["ReadReminderRowsKey"] = ReadReminderRows,
        ["ReadReminderRowKey"] = ReadReminderRow,
        ["ReadRangeRows1Key"] = ReadRangeRows1,
        ["ReadRangeRows2Key"] = ReadRangeRows2,
        ["DeleteReminderRowKey"] = DeleteReminderRow,
        ["DeleteReminderRowsKey"] = DeleteReminderRows,
    };
}
