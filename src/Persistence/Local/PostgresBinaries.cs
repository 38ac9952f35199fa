namespace EventSeries.Persistence.Local;

/// <summary>Finds the PostgreSQL server binaries of Debian's packages (the newest installed version).</summary>
internal static class PostgresBinaries
{
    private const string DebianRoot = "/usr/lib/postgresql";

    /// <summary>The bin folder holding initdb and pg_ctl.</summary>
    public static string Find()
    {
        var candidates = Directory.Exists(DebianRoot)
            ? Directory.GetDirectories(DebianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: double.TryParse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(c => File.Exists(Path.Combine(c.Dir, "initdb")) && File.Exists(Path.Combine(c.Dir, "pg_ctl")))
                .OrderByDescending(c => c.Version)
                .Select(c => c.Dir)
                .ToList()
            : [];
        return candidates.FirstOrDefault() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries were not found under /usr/lib/postgresql/*/bin. " +
            "Run scripts/ensure-postgres.sh (it installs Debian's postgresql package), or set ConnectionStrings__EventSeries to an existing server.");
    }
}
