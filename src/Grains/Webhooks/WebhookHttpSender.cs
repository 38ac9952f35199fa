using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using EventSeries.Persistence.Secrets;
using EventSeries.Persistence.Webhooks;
using Microsoft.Extensions.Options;

namespace EventSeries.Grains.Webhooks;

/// <summary>
/// Sends one signed delivery (Standard Webhooks) and says what happened. One HTTP client per silo,
/// whose connect callback resolves the host and refuses non-public addresses on every connection
/// (not only when the subscription was saved), follows no redirects, uses no proxy, and gives each
/// attempt <see cref="WebhookOptions.AttemptTimeout"/> in all.
/// </summary>
public sealed class WebhookHttpSender : IDisposable
{
    private readonly HttpClient _http;
    private readonly IOptions<WebhookOptions> _options;

    public WebhookHttpSender(WebhookTargets targets, IOptions<WebhookOptions> options)
    {
        _options = options;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var addresses = await targets.ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("EventSeries-Webhooks", "1"));
    }

    /// <summary>POSTs <paramref name="body"/> to <paramref name="url"/>, signed with <paramref name="key"/>; never throws for the receiver's failures.</summary>
    public async Task<AttemptOutcome> SendAsync(string url, byte[] key, long deliveryId, byte[] body, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = deliveryId.ToString(CultureInfo.InvariantCulture);
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp);
        request.Headers.Add("webhook-signature", "v1," + Convert.ToBase64String(WebhookSignature.Compute(key, id, timestamp, body)));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Value.AttemptTimeout);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return new AttemptOutcome(now, Elapsed(watch), (int)response.StatusCode, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptOutcome(now, Elapsed(watch), null, $"timeout: no answer within {_options.Value.AttemptTimeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            return new AttemptOutcome(now, Elapsed(watch), null, Describe(e));
        }
    }

    public void Dispose() => _http.Dispose();

    private static int Elapsed(Stopwatch watch) => (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);

    // What the owner needs to fix it, without stack traces: a refused address, a refused connection, DNS.
    private static string Describe(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is WebhookTargetRefusedException refused)
            {
                return "refused address: " + refused.Message;
            }

            if (inner is SocketException socket)
            {
                return $"connection failed: {socket.SocketErrorCode}";
            }
        }

        return "request failed: " + e.HttpRequestError;
    }
}
