using EventSeries.Persistence;
using EventSeries.Persistence.Secrets;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventSeries.Silo;

/// <summary>
/// <c>reencrypt-secrets</c>: re-encrypts every stored webhook signing secret under
/// <c>EventSeries:Integrations:SecretKey</c>, reading them with it or one of
/// <c>PreviousSecretKeys</c> (the middle step of changing the key, docs/webhooks.md). Exit code 1
/// when some secret decrypts with no configured key (they are named; nothing else is touched).
/// </summary>
internal static class ReencryptSecretsCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new() { Args = args });
        builder.Configuration.AddEnvironmentVariables().AddCommandLine(args);
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddEventSeriesDatabaseOptions();
        builder.Services.AddOptions<IntegrationOptions>().BindConfiguration(IntegrationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SecretProtector>();
        using var host = builder.Build();
        // Reading the options validates them (a malformed key fails here, named).
        if (host.Services.GetRequiredService<IOptions<IntegrationOptions>>().Value.SecretKey is null)
        {
            await Console.Error.WriteLineAsync($"{IntegrationOptions.Section}:SecretKey is not set: it is the key to re-encrypt under.");
            return 2;
        }

        var connectionString = host.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString!;
        await using var db = NpgsqlDataSource.Create(connectionString);
        var protector = host.Services.GetRequiredService<SecretProtector>();
        var result = await new SecretReencryption(db, protector).RunAsync();
        Console.WriteLine($"re-encrypted under key {protector.KeyId}: {result.Reencrypted}; already under it: {result.AlreadyCurrent}; decrypting with no configured key: {result.Undecryptable.Count}");
        foreach (var id in result.Undecryptable)
        {
            Console.WriteLine($"  not decryptable: {id}");
        }

        return result.Undecryptable.Count == 0 ? 0 : 1;
    }
}
