namespace EventSeries.Tests.Infrastructure;

/// <summary>
/// Waits for something the system does asynchronously by design (the metrics stream, a change
/// notification reaching another silo): polls until the condition holds, failing after a deadline.
/// Only for those; anything with a clock uses the fake clock instead.
/// </summary>
public static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Condition not met in time; last value: {value}");
            await Task.Yield();
            await Task.Delay(TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken);
        }
    }
}
