namespace Gnlc.Testing;

/// <summary>Locates the PostgreSQL server programs (initdb, pg_ctl, postgres).</summary>
internal static class PostgresBinaries
{
    public const string DirectoryVariable = "GNLC_PG_BIN";

    private const string DebianInstallRoot = "/usr/lib/postgresql";

    /// <summary>
    /// Returns the directory holding initdb and pg_ctl: <c>$GNLC_PG_BIN</c>, else PATH, else the highest
    /// <c>/usr/lib/postgresql/*/bin</c>. Throws rather than letting database tests skip silently.
    /// </summary>
    public static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            // An explicit setting that points nowhere is a mistake to report, not to paper over with a fallback.
            return HasServerPrograms(configured)
                ? Path.GetFullPath(configured)
                : throw new InvalidOperationException(
                    $"{DirectoryVariable} is set to '{configured}', but that directory does not contain initdb and pg_ctl.");
        }

        return FromPath()
            ?? HighestDebianVersion()
            ?? throw new InvalidOperationException(
                "PostgreSQL server programs (initdb, pg_ctl) were not found: not via " + DirectoryVariable +
                ", not on PATH, not under " + DebianInstallRoot + "/*/bin. Install them with " +
                "`apt-get install postgresql` (Debian/Ubuntu), or set " + DirectoryVariable +
                " to the directory that contains initdb and pg_ctl.");
    }

    private static string? FromPath()
    {
        var directory = ExecutableSearch.PathDirectories().FirstOrDefault(HasServerPrograms);
        return directory is null ? null : RealDirectory(directory);
    }

    /// <summary>
    /// PATH often holds symlinks (e.g. /usr/local/bin/initdb); report the directory they point into,
    /// which is where the matching postgres binary and its libraries live.
    /// </summary>
    private static string RealDirectory(string directory)
    {
        var target = File.ResolveLinkTarget(Path.Combine(directory, "initdb"), returnFinalTarget: true);
        var targetDirectory = target is null ? null : Path.GetDirectoryName(target.FullName);
        return targetDirectory is not null && HasServerPrograms(targetDirectory) ? targetDirectory : Path.GetFullPath(directory);
    }

    private static string? HighestDebianVersion()
    {
        if (!Directory.Exists(DebianInstallRoot))
        {
            return null;
        }

        return Directory.EnumerateDirectories(DebianInstallRoot)
            .Select(versionDirectory => (Version: ParseVersion(Path.GetFileName(versionDirectory)), Bin: Path.Combine(versionDirectory, "bin")))
            .Where(candidate => candidate.Version is not null && HasServerPrograms(candidate.Bin))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => candidate.Bin)
            .FirstOrDefault();
    }

    /// <summary>Debian names the directories "15", "17" or, for old releases, "9.6"; compare them numerically.</summary>
    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version) ? version : null;

    private static bool HasServerPrograms(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));
}
