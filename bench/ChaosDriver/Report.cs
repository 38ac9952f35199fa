using System.Globalization;
using System.Text;

namespace EventSeries.Bench.Chaos;

/// <summary>The table printed at the end, and whether every invariant held.</summary>
public sealed class Report(ChaosOptions options, IReadOnlyList<ScanRecord> all, int notSent, IReadOnlyList<FaultRun> faults)
{
    // The answers table, latency and gaps are about the load; the ledger checks cover the warm-up too.
    private readonly List<ScanRecord> _scans = [.. all.Where(s => s.StartS >= 0)];
    private readonly List<ScanRecord> _warmUp = [.. all.Where(s => s.StartS < 0)];
    private readonly StringBuilder _text = new();
    private bool _failed;

    public bool Failed => _failed;

    public string Build(LedgerFindings ledger, CapacityReading? capacity, int capacityReadings)
    {
        var attempts = _scans.SelectMany(s => s.Attempts).ToList();
        Line($"== chaos ledger check: {options.Rate:0} scans/s for {options.Duration.TotalSeconds:0}s, {options.Wristbands} wristbands, capacity {options.Capacity}, policy {options.Policy}");
        Line($"   faults: {(faults.Count == 0 ? "none" : string.Join("; ", faults.Select(f => $"{f.Spec} at {f.StartS:0.0}s-{f.EndS:0.0}s{(f.ExitCode == 0 ? "" : $" (exit {f.ExitCode})")}")))}");
        if (_warmUp.Count > 0)
        {
            Row("warm-up scans (before the load)", _warmUp.Count, Breakdown(_warmUp.Select(s => s.Outcome + (s.Final?.Reason is { } r ? " " + r : ""))));
        }

        Row("scans sent", _scans.Count, notSent > 0 ? $"{notSent} due but not sent (in-flight cap or every pick busy)" : "");
        Line("final answers:");
        foreach (var outcome in new[] { "200 ALLOW", "200 DENY", "409", "503", "500", "5xx other", "no answer / timeout" })
        {
            var these = _scans.Where(s => s.Outcome == outcome).ToList();
            Row("  " + outcome, these.Count, outcome switch
            {
                "200 DENY" => Breakdown(these.Select(s => s.Final!.Reason ?? "?")),
                "5xx other" or "409" or "503" => Breakdown(these.Select(s => $"{s.Final!.Status} {s.Final.Reason}".TrimEnd())),
                "no answer / timeout" => Breakdown(these.Select(s => s.Final!.Error ?? "?")),
                _ => "",
            });
        }

        foreach (var other in _scans.Select(s => s.Outcome).Distinct().Except(["200 ALLOW", "200 DENY", "409", "503", "500", "5xx other", "no answer / timeout"]))
        {
            Row("  " + other, _scans.Count(s => s.Outcome == other), "");
        }

        Row("sends (first + resends)", attempts.Count, Breakdown(attempts.Select(a => a.Status == 0 ? a.Error ?? "no answer" : a.Status.ToString(CultureInfo.InvariantCulture))));
        Row("scans resent at least once", _scans.Count(s => s.Attempts.Count > 1), $"{_scans.Count(s => s.Attempts.Count > 1 && s.Final?.Status == 200)} of them answered 200 in the end");
        Line($"{"answer time (first send to final)",-42} {Latency()}");
        Line("");
        Line($"{"invariant",-42} {"value",-44} verdict");
        Check("ALLOW answered without its row", ledger.AllowWithoutRow.ToString(CultureInfo.InvariantCulture), ledger.AllowWithoutRow == 0);
        Check("ALLOW answered, row has another id", ledger.AllowWithOtherCheckinId.ToString(CultureInfo.InvariantCulture), ledger.AllowWithOtherCheckinId == 0);
        Check("DENY answered, but the row is allowed", ledger.DenyWithAllowedRow.ToString(CultureInfo.InvariantCulture), ledger.DenyWithAllowedRow == 0);
        Check($"double admissions ({options.Policy})", ledger.DoubleAdmissions + (ledger.FirstDoubleAdmission is { } f ? $" (first: {f})" : ""), ledger.DoubleAdmissions == 0);
        Check("max occupancy, log in (at, id) order", $"{ledger.MaxByAt} of {options.Capacity}" + (ledger.MaxByAtWhen is { } w ? $" (at {w:HH:mm:ss.fff})" : ""), ledger.MaxByAt <= options.Capacity);
        if (ledger.MaxByCommit is { } commit)
        {
            Check("max occupancy, log in commit order", $"{commit} of {options.Capacity}", commit <= options.Capacity);
        }
        else
        {
            Line($"{"max occupancy, log in commit order",-42} {"n/a (no commit timestamps)",-44} -");
        }

        if (capacity is null)
        {
            Line($"{"places conserved (capacity ledger)",-42} {"n/a (GET .../capacity answered 404)",-44} -");
        }
        else
        {
            Check("places conserved (capacity ledger)", $"{capacity} [reading {capacityReadings}]", capacity.Conserved);
        }

        var fiveHundreds = all.SelectMany(s => s.Attempts).Count(a => a.Status == 500);
        Check("500 answers (any send)", fiveHundreds.ToString(CultureInfo.InvariantCulture), fiveHundreds == 0);
        var (gap, from) = LongestGap();
        Check("longest gap without a 200 answer", $"{gap:0.00}s (from {from:0.0}s)", gap <= options.MaxGap.TotalSeconds, $"max {options.MaxGap.TotalSeconds:0.#}s");
        Line("");
        Row("5xx answers (any send)", attempts.Count(a => a.Status >= 500), Breakdown(attempts.Where(a => a.Status >= 500).Select(a => a.Status.ToString(CultureInfo.InvariantCulture))));
        Row("allowed rows without a final answer", ledger.AllowedRowsWithoutFinalAnswer, "admitted, but the scanner never heard (a resend would return the ALLOW)");
        Row("log rows of scans never sent", ledger.RowsOfUnknownScans, "");
        Row("log rows / allowed", ledger.Rows, $"{ledger.AllowedRows} allowed; {ledger.AllowAnswered} ALLOW answered");
        Row("inside at the end (log)", ledger.InsideAtEnd, $"capacity {options.Capacity}");
        Line(PerSecond());
        Line(_failed ? "chaos: FAILED (an invariant above does not hold)" : "chaos: all invariants hold");
        return _text.ToString();
    }

    private void Check(string name, string value, bool ok, string limit = "")
    {
        _failed |= !ok;
        Line($"{name,-42} {value,-44} {(ok ? "ok" : "FAIL")}{(limit.Length > 0 ? $" ({limit})" : "")}");
    }

    private void Row(string name, int count, string detail) => Line($"{name,-42} {count,8}  {detail}".TrimEnd());

    private void Line(string line) => _text.AppendLine(line);

    private static string Breakdown(IEnumerable<string> keys) =>
        string.Join(", ", keys.GroupBy(k => k).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));

    private string Latency()
    {
        var times = _scans.Where(s => s.Final?.Status == 200).Select(s => s.EndS - s.StartS).Order().ToList();
        if (times.Count == 0)
        {
            return "no 200 answers";
        }

        double At(double q) => times[Math.Min(times.Count - 1, (int)(q * times.Count))];
        return $"p50 {At(0.5) * 1000:0} ms, p99 {At(0.99) * 1000:0} ms, max {times[^1]:0.00} s; {times.Count(t => t > 3)} answered after more than 3 s";
    }

    /// <summary>The longest time within the load without any 200 answer arriving, and where it began.</summary>
    private (double Gap, double From) LongestGap()
    {
        var end = options.Duration.TotalSeconds;
        var ok = _scans.Where(s => s.Final?.Status == 200).Select(s => s.EndS).Where(t => t <= end).Order().ToList();
        double last = 0, gap = 0, from = 0;
        foreach (var t in ok.Append(end))
        {
            if (t - last > gap)
            {
                (gap, from) = (t - last, last);
            }

            last = t;
        }

        return (gap, from);
    }

    /// <summary>200 answers in each second around the faults (the whole load when there are none).</summary>
    private string PerSecond()
    {
        var end = (int)Math.Ceiling(options.Duration.TotalSeconds);
        var from = faults.Count == 0 ? 0 : Math.Max(0, (int)faults.Min(f => f.StartS) - 3);
        var to = faults.Count == 0 ? end : Math.Min(end, (int)Math.Ceiling(faults.Max(f => f.EndS)) + 10);
        var counts = new int[Math.Max(0, to - from)];
        foreach (var t in _scans.Where(s => s.Final?.Status == 200).Select(s => s.EndS))
        {
            var i = (int)t - from;
            if (i >= 0 && i < counts.Length)
            {
                counts[i]++;
            }
        }

        return $"200s per second, {from}s-{to}s: {string.Join(' ', counts)}";
    }
}
