using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EventSeries.Bench.Chaos;

public enum FaultKind
{
    Kill,
    Freeze,
    Restart,
    RollingRestart,
    DatabaseRestart,
    DatabaseCrash,
}

/// <summary>One fault from the command line: what, which silo, when (from the start of the load), for how long.</summary>
public sealed partial record FaultSpec(FaultKind Kind, int Silo, TimeSpan At, TimeSpan Length, string Text)
{
    public static FaultSpec Parse(string kind, string text)
    {
        var m = SpecPattern().Match(text);
        if (!m.Success)
        {
            throw new ArgumentException($"--{kind} {text}: expected [siloN]@TIME[:LENGTH], e.g. silo2@10s or @30s");
        }

        var silo = m.Groups["silo"].Success ? int.Parse(m.Groups["silo"].Value, CultureInfo.InvariantCulture) : 0;
        var at = ChaosOptions.Time(m.Groups["at"].Value);
        var length = m.Groups["length"].Success ? ChaosOptions.Time(m.Groups["length"].Value) : TimeSpan.Zero;
        var fault = kind switch
        {
            "kill" => new FaultSpec(FaultKind.Kill, silo, at, TimeSpan.Zero, text),
            "freeze" => new FaultSpec(FaultKind.Freeze, silo, at, length, text),
            "restart" => new FaultSpec(FaultKind.Restart, silo, at, TimeSpan.Zero, text),
            "rolling-restart" => new FaultSpec(FaultKind.RollingRestart, 0, at, TimeSpan.Zero, text),
            "db-restart" => new FaultSpec(FaultKind.DatabaseRestart, 0, at, length, text),
            _ => new FaultSpec(FaultKind.DatabaseCrash, 0, at, length, text),
        };
        if (fault.Kind is FaultKind.Kill or FaultKind.Freeze or FaultKind.Restart && silo == 0)
        {
            throw new ArgumentException($"--{kind} {text}: name the silo, e.g. silo2@10s");
        }

        if (fault.Kind == FaultKind.Freeze && length <= TimeSpan.Zero)
        {
            throw new ArgumentException($"--freeze {text}: give its length, e.g. silo3@20s:20s");
        }

        return fault;
    }

    public override string ToString() => Kind switch
    {
        FaultKind.Kill => $"kill -9 silo{Silo}",
        FaultKind.Freeze => $"freeze silo{Silo} for {Length.TotalSeconds:0.#}s",
        FaultKind.Restart => $"restart silo{Silo}",
        FaultKind.RollingRestart => "rolling restart",
        FaultKind.DatabaseRestart => $"database restart (fast{(Length > TimeSpan.Zero ? $", down {Length.TotalSeconds:0.#}s" : "")})",
        _ => $"database crash (immediate{(Length > TimeSpan.Zero ? $", down {Length.TotalSeconds:0.#}s" : "")})",
    };

    [GeneratedRegex(@"^(silo(?<silo>[0-9]+))?@(?<at>[0-9.]+(ms|s|m)?)(:(?<length>[0-9.]+(ms|s|m)?))?$")]
    private static partial Regex SpecPattern();
}

/// <summary>When a fault actually began and ended (seconds from the start of the load), and how its command ended.</summary>
public sealed record FaultRun(FaultSpec Spec, double StartS, double EndS, int ExitCode);

/// <summary>Runs each fault's command at its time, printing its output as it comes.</summary>
public sealed class FaultRunner(ChaosOptions options, LoadClock clock, TextWriter log)
{
    private readonly List<Process> _running = [];
    private readonly Lock _gate = new();

    public async Task<IReadOnlyList<FaultRun>> RunAllAsync(CancellationToken cancel)
    {
        var runs = options.Faults.Select(f => RunAtAsync(f, cancel)).ToList();
        return await Task.WhenAll(runs);
    }

    /// <summary>Ends every fault command still running (a freeze thaws its silo when ended).</summary>
    public void KillAll()
    {
        lock (_gate)
        {
            foreach (var p in _running)
            {
                try
                {
                    // SIGTERM, not the whole tree: cluster.sh's freeze traps it and thaws the silo.
                    Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                }
            }
        }
    }

    private async Task<FaultRun> RunAtAsync(FaultSpec fault, CancellationToken cancel)
    {
        var wait = fault.At - TimeSpan.FromSeconds(clock.Now);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancel);
        }

        var start = clock.Now;
        Print($"{start,6:0.0}s  fault: {fault} ({fault.Text})");
        var (file, args) = Command(fault);
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        args.ForEach(info.ArgumentList.Add);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        lock (_gate)
        {
            _running.Add(process);
        }

        process.OutputDataReceived += (_, e) => Echo(e.Data);
        process.ErrorDataReceived += (_, e) => Echo(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(CancellationToken.None);
        lock (_gate)
        {
            _running.Remove(process);
        }

        var end = clock.Now;
        Print($"{end,6:0.0}s  fault over: {fault} (exit {process.ExitCode}, {end - start:0.0}s)");
        return new FaultRun(fault, start, end, process.ExitCode);
    }

    private (string File, List<string> Args) Command(FaultSpec fault)
    {
        var silo = fault.Silo.ToString(CultureInfo.InvariantCulture);
        var down = fault.Length.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        return fault.Kind switch
        {
            FaultKind.Kill => (options.ClusterScript, ["kill-silo", silo]),
            FaultKind.Freeze => (options.ClusterScript, ["freeze-silo", silo, down]),
            FaultKind.Restart => (options.ClusterScript, ["restart-silo", silo]),
            FaultKind.RollingRestart => (options.ClusterScript, ["rolling-restart"]),
            FaultKind.DatabaseRestart => (options.DatabaseScript, ["restart", down]),
            _ => (options.DatabaseScript, ["crash", down]),
        };
    }

    private void Echo(string? line)
    {
        if (!string.IsNullOrEmpty(line))
        {
            Print($"{clock.Now,6:0.0}s    | {line}");
        }
    }

    private void Print(string line)
    {
        lock (log)
        {
            log.WriteLine(line);
            log.Flush();
        }
    }
}
