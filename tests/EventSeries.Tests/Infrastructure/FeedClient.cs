using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace EventSeries.Tests.Infrastructure;

/// <summary>One Server-Sent Event as a client parses it.</summary>
public sealed record SseEvent(string Type, string? Id, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;

    public string Text(string property) => Json.GetProperty(property).GetString()!;
}

/// <summary>
/// A live-feed client as a browser's EventSource is: one HTTP GET read line by line (event, id,
/// data, blank line), optionally resuming with Last-Event-ID. A small receive buffer makes a client
/// that stops reading back up quickly.
/// </summary>
public sealed class FeedClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private FeedClient(HttpClient http, HttpResponseMessage response, StreamReader reader)
    {
        _http = http;
        _response = response;
        _reader = reader;
    }

    /// <summary>The id of the last event that had one: what a reconnect sends as Last-Event-ID.</summary>
    public string? LastEventId { get; private set; }

    public static async Task<FeedClient> OpenAsync(Uri baseAddress, string token, string path, string? lastEventId = null, int? receiveBufferBytes = null)
    {
        var handler = new SocketsHttpHandler();
        if (receiveBufferBytes is { } size)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = size };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            };
        }

        var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            http.Dispose();
            Assert.Fail($"The feed answered {(int)response.StatusCode}: {body}");
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        return new FeedClient(http, response, new StreamReader(stream, Encoding.UTF8));
    }

    /// <summary>The next event, or null when the server ended the stream (or closed the connection).</summary>
    public async Task<SseEvent?> NextAsync(TimeSpan? wait = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(wait ?? DefaultWait);
        string? type = null, id = null;
        var data = new List<string>();
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(timeout.Token);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                return null;
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No complete event within {wait ?? DefaultWait}.");
            }

            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                if (type is null && data.Count == 0)
                {
                    continue;
                }

                if (id is not null)
                {
                    LastEventId = id;
                }

                return new SseEvent(type ?? "message", id, string.Join('\n', data));
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
            switch (field)
            {
                case "event": type = value; break;
                case "id": id = value; break;
                case "data": data.Add(value); break;
            }
        }
    }

    /// <summary>The next event of <paramref name="type"/>, skipping others (heartbeats, metrics...).</summary>
    public async Task<SseEvent> NextOfTypeAsync(string type, TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? DefaultWait);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var next = await NextAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1))
                       ?? throw new InvalidOperationException($"The stream ended while waiting for a {type} event.");
            if (next.Type == type)
            {
                return next;
            }
        }
    }

    /// <summary>Every check-in and transition until a heartbeat arrives after <paramref name="minimum"/> of them.</summary>
    public async Task<List<SseEvent>> PositionedUntilQuietAsync(int minimum, TimeSpan? wait = null)
    {
        var seen = new List<SseEvent>();
        while (true)
        {
            var next = await NextAsync(wait) ?? throw new InvalidOperationException("The stream ended.");
            if (next.Type is "checkin" or "transition")
            {
                seen.Add(next);
            }
            else if (next.Type == "heartbeat" && seen.Count >= minimum)
            {
                return seen;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
