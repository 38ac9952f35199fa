using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace EventSeries.Bench.Chaos;

/// <summary>
/// Sends scans at a steady rate for the load's duration, whatever the cluster does (an open loop:
/// a slow answer does not slow the next scan down). Each scan has a fresh scanId; a send that gets
/// no answer, a 502, 503 or 504 is resent with the same scanId after a short pause, as a handheld
/// does, up to <see cref="ChaosOptions.Attempts"/> sends, each to the next target. Every send is kept.
/// When <paramref name="stop"/> is cancelled (the run was stopped) sends in flight are given up at once.
/// </summary>
public sealed class ScanDriver(ChaosOptions options, HttpClient http, LoadClock clock, CancellationToken stop)
{
    private static readonly TimeSpan[] Pauses = [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)];

    private readonly Crowd _crowd = new(options.Wristbands, options.Capacity, options.Policy == "single", options.Seed);
    private readonly List<ScanRecord> _scans = [];
    private readonly List<Task> _inFlight = [];
    private readonly Lock _gate = new();
    private int _target;
    private int _active;

    /// <summary>Scans that were due but not sent: too many in flight, or every picked wristband busy.</summary>
    public int NotSent { get; private set; }

    public IReadOnlyList<ScanRecord> Scans => _scans;

    /// <summary>Scans waiting for their final answer now.</summary>
    public int InFlight => Volatile.Read(ref _active);

    /// <summary>The scans so far, copied while the load runs.</summary>
    public ScanRecord[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _scans];
        }
    }

    /// <summary>
    /// Before the load: one exit scan of every wristband, a few at a time (denied not_inside:
    /// nobody is inside yet), so every wristband's grain is active and the silos are past their
    /// cold start when the clock starts. These scans are recorded and checked like all others.
    /// </summary>
    public async Task WarmUpAsync(int concurrency, CancellationToken cancel)
    {
        var next = -1;
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int w;
            while (!cancel.IsCancellationRequested && (w = Interlocked.Increment(ref next)) < options.Wristbands)
            {
                var scan = new ScanRecord(Guid.CreateVersion7(), w, Crowd.NfcId(w), "out", clock.Now);
                lock (_gate)
                {
                    _scans.Add(scan);
                }

                await SendAsync(scan, warmUp: true);
            }
        }, CancellationToken.None));
        await Task.WhenAll(workers);
    }

    /// <summary>Sends scans until the duration is over; returns once the last scan has its final answer.</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        long due = 0;
        var end = options.Duration.TotalSeconds;
        while (!cancel.IsCancellationRequested)
        {
            var now = clock.Now;
            if (now >= end)
            {
                break;
            }

            var target = (long)(now * options.Rate);
            for (; due < target; due++)
            {
                Launch(now);
            }

            await Task.Delay(5, CancellationToken.None);
        }

        Task[] pending;
        lock (_gate)
        {
            pending = [.. _inFlight];
        }

        await Task.WhenAll(pending);
    }

    private void Launch(double now)
    {
        if (Volatile.Read(ref _active) >= options.MaxInFlight || _crowd.Next() is not { } pick)
        {
            NotSent++;
            return;
        }

        var scan = new ScanRecord(Guid.CreateVersion7(), pick.Wristband, Crowd.NfcId(pick.Wristband), pick.Direction, now);
        Interlocked.Increment(ref _active);
        var task = Task.Run(() => SendAsync(scan, warmUp: false));
        lock (_gate)
        {
            _scans.Add(scan);
            _inFlight.Add(task);
        }
    }

    private async Task SendAsync(ScanRecord scan, bool warmUp)
    {
        try
        {
            for (var n = 1; n <= options.Attempts; n++)
            {
                var attempt = await SendOnceAsync(scan, n);
                lock (scan)
                {
                    scan.Attempts.Add(attempt);
                }

                if (attempt.Status is not (0 or 502 or 503 or 504) || n == options.Attempts || stop.IsCancellationRequested)
                {
                    break;
                }

                await Task.Delay(Pauses[Math.Min(n - 1, Pauses.Length - 1)], stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            if (!warmUp)
            {
                _crowd.Done(scan.Wristband, scan.Direction, scan.AnsweredAllow);
                Interlocked.Decrement(ref _active);
            }
        }
    }

    private async Task<Attempt> SendOnceAsync(ScanRecord scan, int number)
    {
        var baseUri = options.Targets[(int)((uint)Interlocked.Increment(ref _target) % options.Targets.Count)];
        var started = clock.Now;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(options.AttemptTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, $"api/events/{options.EventId}/scans"))
        {
            Content = JsonContent.Create(new { nfcId = scan.NfcId, gateId = options.GateId, direction = scan.Direction, scanId = scan.ScanId }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var ended = clock.Now;
            var status = (int)response.StatusCode;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new Attempt(number, baseUri.Authority, started, ended, status, null, null, Code(body), null);
            }

            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            return new Attempt(number, baseUri.Authority, started, ended, status, null,
                root.GetProperty("allowed").GetBoolean(), root.GetProperty("reason").GetString(),
                root.TryGetProperty("checkinId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetGuid() : null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or JsonException)
        {
            return new Attempt(number, baseUri.Authority, started, clock.Now, 0, Describe(e), null, null, null);
        }
    }

    /// <summary>The problem details' code of an error answer, if it has one.</summary>
    private static string? Code(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "timeout",
        HttpRequestException { InnerException: SocketException s } => s.SocketErrorCode.ToString(),
        HttpRequestException h => h.HttpRequestError.ToString(),
        _ => e.GetType().Name,
    };
}
