// The live feed benchmark's clients: opens CLIENTS streams of one feed, then reads them until
// SIGTERM (or --seconds), recording for every check-in the time from its `at` (when the silo
// decided it, before its log row committed) to its arrival here. Same machine, same clock.
//   EventSeries.Bench.FeedListener --url http://127.0.0.1:26510 --token T --path /api/series/S/feed --clients 1000
// Prints "READY connected=N" once every stream is open, then at the end:
//   RESULT clients=N events=E per_client=E/N p50_ms=.. p99_ms=.. max_ms=.. ended=D
// `ended` counts streams the server closed (a client dropped for falling behind, or its token revoked).
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using EventSeries.Bench.Feed;

var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "");
string Arg(string name, string fallback) => options.TryGetValue(name, out var v) ? v : fallback;
var url = Arg("url", "http://127.0.0.1:26510");
var token = Arg("token", "");
var path = Arg("path", "");
var clients = int.Parse(Arg("clients", "10"), CultureInfo.InvariantCulture);
var seconds = int.Parse(Arg("seconds", "3600"), CultureInfo.InvariantCulture);

using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
{
    BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan,
};
// Only the first MEASURE clients read lines and time check-ins; the rest read bytes and drop them,
// as a dashboard on another machine costs this one nothing. Parsing every line of every client
// here would measure this tool, which shares the silo's cores.
var measure = int.Parse(Arg("measure", clients.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
var latency = new LatencyHistogram();
var ended = 0;
long drainedBytes = 0;

async Task<Stream> OpenAsync()
{
    var request = new HttpRequestMessage(HttpMethod.Get, path);
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
    response.EnsureSuccessStatusCode();
    return await response.Content.ReadAsStreamAsync(stop.Token);
}

async Task DrainAsync(Stream stream)
{
    var buffer = new byte[64 * 1024];
    try
    {
        int read;
        while ((read = await stream.ReadAsync(buffer, stop.Token)) > 0)
        {
            Interlocked.Add(ref drainedBytes, read);
        }

        Interlocked.Increment(ref ended);
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
    }
    catch (Exception e) when (e is IOException or HttpRequestException)
    {
        Interlocked.Increment(ref ended);
    }
}

async Task ReadAsync(Stream stream)
{
    using var reader = new StreamReader(stream);
    var isCheckin = false;
    try
    {
        while (await reader.ReadLineAsync(stop.Token) is { } line)
        {
            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                isCheckin = line.AsSpan(6).Trim().SequenceEqual("checkin");
            }
            else if (isCheckin && line.StartsWith("data:", StringComparison.Ordinal))
            {
                var received = DateTimeOffset.UtcNow;
                var at = line.IndexOf("\"at\":\"", StringComparison.Ordinal) + 6;
                var end = line.IndexOf('"', at);
                if (at > 5 && end > at && DateTimeOffset.TryParse(line.AsSpan(at, end - at), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
                {
                    latency.Add((received - when).TotalMilliseconds);
                }
            }
        }

        Interlocked.Increment(ref ended);
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
    }
    catch (Exception e) when (e is IOException or HttpRequestException)
    {
        Interlocked.Increment(ref ended);
    }
}

// Opened a few at a time, as a dashboard fleet would (re)connect, not all in one burst.
var streams = new List<Stream>();
foreach (var chunk in Enumerable.Range(0, clients).Chunk(50))
{
    streams.AddRange(await Task.WhenAll(chunk.Select(_ => OpenAsync())));
}

Console.WriteLine($"READY connected={streams.Count}");
await Task.WhenAll(streams.Select((stream, i) => i < measure ? ReadAsync(stream) : DrainAsync(stream)));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT clients={clients} measured={Math.Min(measure, clients)} drained_mib={drainedBytes / (1024 * 1024)} events={latency.Count} per_client={latency.Count / Math.Max(Math.Min(measure, clients), 1)} p50_ms={latency.Percentile(0.5)} p99_ms={latency.Percentile(0.99)} max_ms={latency.Percentile(1.0)} ended={ended}"));
