using System.Globalization;

namespace EventSeries.Bench.Chaos;

/// <summary>What the driver is told on its command line (bench/chaos/run.sh passes the scenario's ids).</summary>
public sealed class ChaosOptions
{
    /// <summary>Base URLs scans go to, round-robin; a resend goes to the next one (nginx: just one).</summary>
    public List<Uri> Targets { get; } = [];

    public Guid EventId { get; private set; }

    public Guid GateId { get; private set; }

    public Guid SeriesId { get; private set; }

    public string Token { get; private set; } = "";

    /// <summary>Npgsql connection string of the scenario's database, for the ledger check.</summary>
    public string Database { get; private set; } = "";

    public int Wristbands { get; private set; } = 3000;

    public int Capacity { get; private set; } = 500;

    /// <summary>single or reentry: the series' policy, which decides what a double admission is.</summary>
    public string Policy { get; private set; } = "reentry";

    public double Rate { get; private set; } = 300;

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(120);

    public TimeSpan Settle { get; private set; } = TimeSpan.FromSeconds(40);

    /// <summary>Sends of one scan at most (the first and the resends with the same scanId).</summary>
    public int Attempts { get; private set; } = 4;

    /// <summary>
    /// How long one send waits: 6 s, just above nginx's two tries of 3 s (each longer than the
    /// API's 2.5 s scan deadline), so the driver hears nginx's answer rather than cutting it off.
    /// </summary>
    public TimeSpan AttemptTimeout { get; private set; } = TimeSpan.FromSeconds(6);

    /// <summary>The longest gap without a 200 that still passes.</summary>
    public TimeSpan MaxGap { get; private set; } = TimeSpan.FromSeconds(3);

    /// <summary>Scans in flight at most; a scan due beyond it is counted as not sent.</summary>
    public int MaxInFlight { get; private set; } = 1000;

    /// <summary>Scans at once in the warm-up (one exit scan per wristband before the load); 0: no warm-up.</summary>
    public int WarmUp { get; private set; } = 8;

    /// <summary>deploy/cluster.sh, run for silo faults (with the environment this process got).</summary>
    public string ClusterScript { get; private set; } = "deploy/cluster.sh";

    /// <summary>A script run as "SCRIPT restart|crash DOWN_SECONDS" for database faults.</summary>
    public string DatabaseScript { get; private set; } = "";

    /// <summary>Where scans.csv and faults.log are written (nothing when empty).</summary>
    public string OutputDirectory { get; private set; } = "";

    public int Seed { get; private set; } = Environment.TickCount;

    public List<FaultSpec> Faults { get; } = [];

    public const string Usage =
        """
        usage: EventSeries.Bench.ChaosDriver --target URL[,URL...] --event ID --gate ID --series ID --token T --database CS
                 [--wristbands 3000] [--capacity 500] [--policy reentry|single] [--rate 300] [--duration 120s]
                 [--settle 40s] [--attempts 4] [--attempt-timeout 6s] [--max-gap 3s] [--max-in-flight 1000] [--warmup 8]
                 [--cluster deploy/cluster.sh] [--db-script bench/chaos/postgres.sh] [--out DIR] [--seed N]
                 faults (times from the start of the load, repeatable):
                 --kill silo2@10s  --freeze silo3@20s:20s  --restart silo2@40s  --rolling-restart @10s
                 --db-restart @30s[:5s]  --db-crash @30s[:5s]   (the database stays down for the time after ':')
        """;

    public static ChaosOptions Parse(string[] args)
    {
        var o = new ChaosOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            switch (name)
            {
                case "--target":
                    o.Targets.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(u => new Uri(u.TrimEnd('/') + "/")));
                    break;
                case "--event": o.EventId = Guid.Parse(Value()); break;
                case "--gate": o.GateId = Guid.Parse(Value()); break;
                case "--series": o.SeriesId = Guid.Parse(Value()); break;
                case "--token": o.Token = Value(); break;
                case "--database": o.Database = Value(); break;
                case "--wristbands": o.Wristbands = PositiveInt(name, Value()); break;
                case "--capacity": o.Capacity = PositiveInt(name, Value()); break;
                case "--policy":
                    o.Policy = Value();
                    if (o.Policy is not ("single" or "reentry"))
                    {
                        throw new ArgumentException("--policy is single or reentry");
                    }

                    break;
                case "--rate": o.Rate = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--duration": o.Duration = Time(Value()); break;
                case "--settle": o.Settle = Time(Value()); break;
                case "--attempts": o.Attempts = PositiveInt(name, Value()); break;
                case "--attempt-timeout": o.AttemptTimeout = Time(Value()); break;
                case "--max-gap": o.MaxGap = Time(Value()); break;
                case "--max-in-flight": o.MaxInFlight = PositiveInt(name, Value()); break;
                case "--warmup": o.WarmUp = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture); break;
                case "--cluster": o.ClusterScript = Value(); break;
                case "--db-script": o.DatabaseScript = Value(); break;
                case "--out": o.OutputDirectory = Value(); break;
                case "--seed": o.Seed = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--kill" or "--freeze" or "--restart" or "--rolling-restart" or "--db-restart" or "--db-crash":
                    o.Faults.Add(FaultSpec.Parse(name[2..], Value()));
                    break;
                default: throw new ArgumentException($"unknown option {name}");
            }
        }

        if (o.Targets.Count == 0 || o.EventId == Guid.Empty || o.GateId == Guid.Empty || o.SeriesId == Guid.Empty || o.Token.Length == 0 || o.Database.Length == 0)
        {
            throw new ArgumentException("--target, --event, --gate, --series, --token and --database are required");
        }

        if (o.Faults.Any(f => f.Kind is FaultKind.DatabaseRestart or FaultKind.DatabaseCrash) && o.DatabaseScript.Length == 0)
        {
            throw new ArgumentException("database faults need --db-script");
        }

        o.Faults.Sort((a, b) => a.At.CompareTo(b.At));
        return o;
    }

    /// <summary>"10s", "1.5s", "500ms", "2m", or plain seconds.</summary>
    public static TimeSpan Time(string text)
    {
        static double Number(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
        return text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => TimeSpan.FromMilliseconds(Number(text[..^2])),
            _ when text.EndsWith('s') => TimeSpan.FromSeconds(Number(text[..^1])),
            _ when text.EndsWith('m') => TimeSpan.FromMinutes(Number(text[..^1])),
            _ => TimeSpan.FromSeconds(Number(text)),
        };
    }

    private static int PositiveInt(string name, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive integer");
}
