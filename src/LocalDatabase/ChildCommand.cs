using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EventSeries.LocalDatabase;

/// <summary>
/// Runs the wrapped command with the private server's connection string and passes it the
/// launcher's SIGINT, SIGTERM, SIGQUIT and SIGHUP, so stopping the launcher stops the command
/// gracefully first (the server is stopped only after the command has exited).
/// </summary>
internal static partial class ChildCommand
{
    /// <summary>Linux signal numbers (PosixSignal's values are .NET's own).</summary>
    private static readonly Dictionary<PosixSignal, int> Numbers = new()
    {
        [PosixSignal.SIGHUP] = 1,
        [PosixSignal.SIGINT] = 2,
        [PosixSignal.SIGQUIT] = 3,
        [PosixSignal.SIGTERM] = 15,
    };

    /// <summary>
    /// Handles the stop signals for the launcher's whole life: before the command runs they cancel
    /// <paramref name="beforeStart"/> (so a server being started is still stopped), after that they go to the command.
    /// </summary>
    public static IDisposable HandleSignals(CancellationTokenSource beforeStart, Func<Process?> running) =>
        new Registrations([.. Numbers.Keys.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;
            if (running() is { HasExited: false } child)
            {
                _ = Kill(child.Id, Numbers[context.Signal]);
            }
            else
            {
                beforeStart.Cancel();
            }
        }))]);

    /// <summary>Starts <paramref name="command"/> (stdio inherited) with <paramref name="environment"/> added.</summary>
    public static Process Start(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command[0]}.");
    }

    // glibc's real name: "libc" would find libc.so, a linker script dlopen refuses.
    [LibraryImport("libc.so.6", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private sealed class Registrations(IReadOnlyList<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
