using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace EventSeries.Bench.Chaos;

/// <summary>
/// The fault-injection driver: steady scans against the cluster, faults at set times, a settling
/// pause, then every answer checked against checkin_logs. Exit 0 when every invariant holds, 1
/// when one does not, 2 for a bad command line. Started by bench/chaos/run.sh.
/// </summary>
public static class Program
{
    private const int CapacityShardCount = 8;

    public static async Task<int> Main(string[] args)
    {
        ChaosOptions options;
        try
        {
            options = ChaosOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync($"chaos: {e.Message}\n{ChaosOptions.Usage}");
            return 2;
        }

        using var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2), PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var clock = new LoadClock();
        var faults = new FaultRunner(options, clock, Console.Out);
        using var stop = new CancellationTokenSource();
        void Abort(PosixSignalContext context)
        {
            context.Cancel = true;
            faults.KillAll();
            stop.Cancel();
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Abort);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Abort);

        Console.WriteLine($"chaos: {options.Rate:0} scans/s for {options.Duration.TotalSeconds:0}s to {string.Join(", ", options.Targets)}; "
                          + $"faults: {(options.Faults.Count == 0 ? "none" : string.Join("; ", options.Faults.Select(f => $"{f} at {f.At.TotalSeconds:0.#}s")))}");
        var driver = new ScanDriver(options, http, clock, stop.Token);

        // Stopped (SIGTERM, SIGINT): no settling and no table, the run is over. A fault command
        // ended by the stop returns like any other, so the token decides, not an exception.
        try
        {
            if (options.WarmUp > 0)
            {
                var warming = Stopwatch.StartNew();
                await driver.WarmUpAsync(options.WarmUp, stop.Token);
                stop.Token.ThrowIfCancellationRequested();
                Console.WriteLine($"chaos: warm-up: one exit scan of each of {options.Wristbands} wristbands, {options.WarmUp} at a time, took {warming.Elapsed.TotalSeconds:0.0}s");
            }

            clock.StartLoad();
            var faultsDone = faults.RunAllAsync(stop.Token);
            var load = driver.RunAsync(stop.Token);
            var progress = ProgressAsync(driver, clock, options, load);
            await load;
            await progress;
            var runs = await faultsDone;
            stop.Token.ThrowIfCancellationRequested();
            Console.WriteLine($"{clock.Now,6:0.0}s  load over: {driver.Scans.Count} scans; settling (at most {options.Settle.TotalSeconds:0}s) before the ledger check");
            var (capacity, readings) = await SettleAsync(http, options, stop.Token);
            return await CheckAsync(options, driver, runs, capacity, readings);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("chaos: stopped");
            return 1;
        }
    }

    /// <summary>Reads the log, checks it against every answer, prints the table and writes report.txt and scans.csv.</summary>
    private static async Task<int> CheckAsync(ChaosOptions options, ScanDriver driver, IReadOnlyList<FaultRun> runs, CapacityReading? capacity, int readings)
    {
        var rows = await Ledger.ReadAsync(options.Database, options.EventId);
        var findings = Ledger.Check(rows, driver.Scans, options.SeriesId, options.Policy == "single");
        var report = new Report(options, driver.Scans, driver.NotSent, runs);
        var text = report.Build(findings, capacity, readings);
        Console.WriteLine();
        Console.Write(text);
        if (options.OutputDirectory.Length > 0)
        {
            Directory.CreateDirectory(options.OutputDirectory);
            await File.WriteAllTextAsync(Path.Combine(options.OutputDirectory, "report.txt"), text);
            await WriteScansAsync(Path.Combine(options.OutputDirectory, "scans.csv"), driver.Scans);
        }

        return report.Failed ? 1 : 0;
    }

    /// <summary>
    /// Waits until the capacity ledger is settled (places conserved and no reservation waiting
    /// for its row) or the settle time is over, reading it every two seconds (a reading also
    /// brings every shard's lease up to date), the first time after 5 s (a shard's check period,
    /// and time for a row still being written). Without the endpoint (404) it just waits.
    /// </summary>
    private static async Task<(CapacityReading? Reading, int Readings)> SettleAsync(HttpClient http, ChaosOptions options, CancellationToken cancel)
    {
        var watch = Stopwatch.StartNew();
        var first = TimeSpan.FromSeconds(5) < options.Settle ? TimeSpan.FromSeconds(5) : options.Settle;
        await Task.Delay(first, cancel);
        CapacityReading? reading = null;
        var readings = 0;
        while (true)
        {
            try
            {
                readings++;
                reading = await CapacityProbe.ReadAsync(http, options);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                Console.WriteLine($"chaos: capacity ledger reading {readings} failed: {e.Message}");
                reading = new CapacityReading(options.Capacity, 0, null, null, null, 0, 0, CapacityShardCount);
            }

            var left = options.Settle - watch.Elapsed;
            if (reading is null)
            {
                await Task.Delay(left > TimeSpan.Zero ? left : TimeSpan.Zero, cancel);
                Console.WriteLine($"chaos: settled {watch.Elapsed.TotalSeconds:0}s (no capacity ledger in this build)");
                return (null, readings);
            }

            if ((reading.Conserved && reading.Reserved == 0) || left <= TimeSpan.Zero)
            {
                Console.WriteLine($"chaos: settled {watch.Elapsed.TotalSeconds:0}s: {reading}");
                return (reading, readings);
            }

            await Task.Delay(TimeSpan.FromSeconds(2) < left ? TimeSpan.FromSeconds(2) : left, cancel);
        }
    }

    private static async Task ProgressAsync(ScanDriver driver, LoadClock clock, ChaosOptions options, Task load)
    {
        var seen = 0;
        while (!load.IsCompleted)
        {
            await Task.WhenAny(load, Task.Delay(TimeSpan.FromSeconds(5)));
            if (load.IsCompleted && clock.Now > options.Duration.TotalSeconds + 1)
            {
                break;
            }

            var scans = driver.Snapshot().Where(s => s.StartS >= 0).ToArray();
            var now = clock.Now;
            var ok = scans.Count(s => s.Final is { Status: 200 } f && f.EndS > now - 5);
            Console.WriteLine($"{now,6:0.0}s  sent {scans.Length - seen} in the last 5s, 200 answers in the last 5s {ok}, waiting for an answer {driver.InFlight}");
            seen = scans.Length;
        }
    }

    private static async Task WriteScansAsync(string path, IReadOnlyList<ScanRecord> scans)
    {
        var csv = new StringBuilder("scan_id,nfc_id,direction,attempt,target,start_s,end_s,status,error,allowed,reason,checkin_id\n");
        foreach (var s in scans)
        {
            foreach (var a in s.Attempts)
            {
                csv.Append(CultureInfo.InvariantCulture,
                    $"{s.ScanId},{s.NfcId},{s.Direction},{a.Number},{a.Target},{a.StartS:0.000},{a.EndS:0.000},{a.Status},{a.Error},{a.Allowed},{a.Reason},{a.CheckinId}\n");
            }
        }

        await File.WriteAllTextAsync(path, csv.ToString());
    }
}
