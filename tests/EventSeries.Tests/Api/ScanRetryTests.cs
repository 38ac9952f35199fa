using EventSeries.Api.Errors;
using EventSeries.Api.Scans;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;

namespace EventSeries.Tests.Api;

/// <summary>
/// The scan retry and deadline on a fake clock, without a cluster: how long a scan may take, what
/// is retried and what is not, and how the one exception handler answers a scan's deadline.
/// </summary>
public sealed class ScanRetryTests
{
    private static readonly ScanOptions Options = new();

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task ACallThatNeverAnswers_EndsExactlyAtTheDeadline_OnTheInjectedClock()
    {
        var (retry, deadline) = Start();
        var attempts = 0;

        var run = retry.RunAsync(deadline, Guid.NewGuid(), () =>
        {
            attempts++;
            return new TaskCompletionSource<int>().Task;
        });
        _clock.Advance(Options.Deadline - TimeSpan.FromMilliseconds(1));
        Assert.False(run.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(deadline.HasExpired);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task TransientFaults_AreRetriedWithGrowingPauses_UntilNoPauseFitsBeforeTheDeadline()
    {
        var (retry, deadline) = Start();
        var attempts = 0;

        var run = retry.RunAsync<int>(deadline, Guid.NewGuid(), () =>
        {
            attempts++;
            throw new SiloUnavailableException("gone");
        });
        var waited = await AdvanceUntilDoneAsync(run);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => run);
        Assert.True(waited <= Options.Deadline, $"gave up after {waited}");

        // Pauses of 25-50, 50-100, 100-200, 200-400 ms, then 250-500 ms each, within 2.5 s.
        Assert.InRange(attempts, 7, 13);
    }

    [Fact]
    public async Task AnAnswerAfterTransientFaults_IsTheAnswer()
    {
        var (retry, deadline) = Start();
        var attempts = 0;

        var run = retry.RunAsync(deadline, Guid.NewGuid(), () => ++attempts <= 2
            ? Task.FromException<int>(DomainException.Unavailable("database away"))
            : Task.FromResult(42));
        await AdvanceUntilDoneAsync(run);

        Assert.Equal(42, await run);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task WithoutAScanId_ATransientFault_IsNotRetried()
    {
        var (retry, deadline) = Start();
        var attempts = 0;

        var run = retry.RunAsync<int>(deadline, null, () =>
        {
            attempts++;
            throw new TimeoutException("no answer");
        });

        await Assert.ThrowsAsync<TimeoutException>(() => run);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task ARefusal_IsNotRetried()
    {
        var (retry, deadline) = Start();
        var attempts = 0;

        var run = retry.RunAsync<int>(deadline, Guid.NewGuid(), () =>
        {
            attempts++;
            throw DomainException.Conflict("scan_id_reused", "Another scan used this id.");
        });

        await Assert.ThrowsAsync<DomainException>(() => run);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task ACancellationByTheScanDeadline_Is503WithRetryAfter()
    {
        var (_, deadline) = Start();
        var http = NewContext(CancellationToken.None);
        http.Features.Set(deadline);
        _clock.Advance(Options.Deadline);

        Assert.True(await Handler(http).TryHandleAsync(http, new TaskCanceledException(), CancellationToken.None));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
        Assert.Equal("1", http.Response.Headers.RetryAfter.ToString());
        Assert.Equal("application/problem+json", http.Response.ContentType);
    }

    [Fact]
    public async Task ACancellationByAClientThatHungUp_IsNot503()
    {
        using var hungUp = new CancellationTokenSource();
        var (_, deadline) = StartUntil(hungUp.Token);
        var http = NewContext(hungUp.Token);
        http.Features.Set(deadline);
        await hungUp.CancelAsync();
        _clock.Advance(Options.Deadline);

        Assert.False(await Handler(http).TryHandleAsync(http, new TaskCanceledException(), CancellationToken.None));
        Assert.NotEqual(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
    }

    [Fact]
    public async Task ACancellationOutsideAScan_IsNot503()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var http = NewContext(CancellationToken.None);

        Assert.False(await Handler(http).TryHandleAsync(http, new OperationCanceledException(cancelled.Token), CancellationToken.None));
    }

    private (ScanRetry Retry, ScanDeadline Deadline) Start() => StartUntil(TestContext.Current.CancellationToken);

    private (ScanRetry Retry, ScanDeadline Deadline) StartUntil(CancellationToken aborted)
    {
        var retry = new ScanRetry(Microsoft.Extensions.Options.Options.Create(Options), _clock, NullLogger<ScanRetry>.Instance);
        return (retry, retry.StartDeadline(aborted));
    }

    // Moves the fake clock in small steps, letting continuations run, until the run ends; returns the time moved.
    private async Task<TimeSpan> AdvanceUntilDoneAsync(Task run)
    {
        var step = TimeSpan.FromMilliseconds(5);
        var moved = TimeSpan.Zero;
        while (!run.IsCompleted && moved < Options.Deadline * 2)
        {
            await Task.Delay(1, TestContext.Current.CancellationToken);
            if (!run.IsCompleted)
            {
                _clock.Advance(step);
                moved += step;
            }
        }

        return moved;
    }

    private static DefaultHttpContext NewContext(CancellationToken aborted)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        return new DefaultHttpContext { RequestServices = services, RequestAborted = aborted, Response = { Body = new MemoryStream() } };
    }

    private static DomainExceptionHandler Handler(HttpContext http) =>
        new(http.RequestServices.GetRequiredService<IProblemDetailsService>(), http.RequestServices.GetRequiredService<IOptions<JsonOptions>>());
}
