namespace EventSeries.Tests.Security;

/// <summary>One row of the role matrix in docs/security.md: an endpoint (with an optional qualifier) and its expected outcome per caller.</summary>
public sealed record RoleMatrixRow(string Method, string Path, string? Qualifier, IReadOnlyDictionary<string, string> Cells)
{
    /// <summary>The callers of the table's columns, in order.</summary>
    public static readonly string[] Columns = ["owner", "admin", "manager", "member", "viewer", "device", "other org"];

    public string Key => Qualifier is null ? $"{Method} {Path}" : $"{Method} {Path} ({Qualifier})";

    /// <summary>Reads the table under "## The matrix" from docs/security.md.</summary>
    public static IReadOnlyList<RoleMatrixRow> LoadTable()
    {
        var file = System.IO.Path.Combine(RepositoryRoot(), "docs", "security.md");
        var rows = new List<RoleMatrixRow>();
        foreach (var line in File.ReadLines(file).Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var parts = line.Trim('|', ' ').Split('|').Select(p => p.Trim()).ToArray();
            Assert.True(parts.Length == Columns.Length + 1, $"A matrix row needs {Columns.Length + 1} cells: {line}");
            var endpoint = parts[0];
            var close = endpoint.IndexOf('`', 1);
            var route = endpoint[1..close].Split(' ', 2);
            var rest = endpoint[(close + 1)..].Trim();
            var qualifier = rest.Length == 0 ? null : rest.Trim('(', ')');
            var cells = Columns.Select((c, i) => (c, parts[i + 1])).ToDictionary(x => x.c, x => x.Item2);
            foreach (var (column, value) in cells)
            {
                Assert.True(value is "✓" or "403" or "404" or "scoped" or "—", $"Unknown cell '{value}' in column {column}: {line}");
            }

            rows.Add(new RoleMatrixRow(route[0], route[1], qualifier, cells));
        }

        return rows;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "EventSeries.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EventSeries.sln not found above " + AppContext.BaseDirectory);
    }
}
