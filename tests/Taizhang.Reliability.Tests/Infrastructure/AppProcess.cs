using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Taizhang.Reliability.Tests.Infrastructure;

/// <summary>
/// The built app (src/Taizhang.Web/bin/&lt;Configuration&gt;/net10.0/Taizhang.Web.dll, the same configuration
/// as these tests) started as its own process on a given database, as an operator starts it. It
/// listens on a loopback port that Kestrel picks; the address is read from "Now listening on:".
/// <see cref="Kill"/> is SIGKILL: no shutdown code of the app runs.
/// </summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    public const string AdminPassword = "Crash-Admin-Pass-2026";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppProcess(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;

    public int Id => _process.Id;

    /// <summary>The last lines the app wrote (for failure messages).</summary>
    public string Output => string.Join(Environment.NewLine, _output.TakeLast(200));

    public static string AppDll =>
        typeof(AppProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TaizhangWebDll").Value!;

    /// <summary>Starts the server and waits until it answers /health/live.</summary>
    public static async Task<AppProcess> StartAsync(CrashDatabase database, params string[] settings)
    {
        // Settings after the defaults: a later value of the same key wins.
        var process = new Process { StartInfo = StartInfo(database, ["--urls", "http://127.0.0.1:0", "--demo", "--Demo:Cases=0", .. settings]), EnableRaisingEvents = true };
        var app = new AppProcess(process);
        process.OutputDataReceived += (_, e) => app.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => app.OnOutput(e.Data);
        process.Exited += (_, _) => app._listening.TrySetException(
            new InvalidOperationException($"The app exited before it listened:\n{app.Output}"));
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var timeout = new CancellationTokenSource(StartTimeout);
            try
            {
                app.BaseAddress = await app._listening.Task.WaitAsync(timeout.Token);
                await app.WaitUntilAnsweringAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The app did not answer within {StartTimeout}:\n{app.Output}");
            }
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a command of the app's command line (e.g. api-client create) and returns its output.</summary>
    public static async Task<string> RunCommandAsync(CrashDatabase database, params string[] command)
    {
        using var process = new Process { StartInfo = StartInfo(database, command, commandFirst: true) };
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"{string.Join(' ', command)} exited with {process.ExitCode}:\n{output}");
        return output;
    }

    private static ProcessStartInfo StartInfo(CrashDatabase database, string[] extra, bool commandFirst = false)
    {
        var dll = AppDll;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} does not exist: build the solution in the same configuration first.");
        }
        var start = new ProcessStartInfo(DotnetHost())
        {
            // The content root (appsettings.json, Calendar/) is the build output folder.
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        if (commandFirst)
        {
            // The app recognises a command only as its first arguments.
            foreach (var a in extra)
            {
                start.ArgumentList.Add(a);
            }
        }
        foreach (var a in new[]
        {
            $"--Database:Provider={database.Provider}",
            $"--Database:ConnectionString={database.ConnectionString}",
            $"--Bootstrap:AdminPassword={AdminPassword}",
            "--Logging:Console:FormatterName=simple",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
        })
        {
            start.ArgumentList.Add(a);
        }
        if (!commandFirst)
        {
            foreach (var a in extra)
            {
                start.ArgumentList.Add(a);
            }
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        return start;
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > 2000 && _output.TryDequeue(out _))
        {
        }
        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
        }
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("signin", ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not yet.
            }
            await Task.Delay(100, ct);
        }
    }

    /// <summary>SIGKILL: the process ends at once, whatever it was doing.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the host stops gracefully (the intake writer drains its queue).</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _ = SysKill(_process.Id, 15);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        catch (OperationCanceledException)
        {
            // Left to the OS.
        }
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
