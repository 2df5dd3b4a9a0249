using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Taizhang.Browser.Tests.Infrastructure;

/// <summary>
/// The built app (src/Taizhang.Web/bin/&lt;Configuration&gt;/net10.0/Taizhang.Web.dll) started as its
/// own process, as an operator would start it, with <c>--demo</c> on a fresh SQLite file in a
/// temporary folder. It listens on a free loopback port that Kestrel picks (<c>--urls …:0</c>);
/// the address is read from the "Now listening on:" line of its console.
/// </summary>
public sealed partial class TaizhangServer : IAsyncDisposable
{
    public const string DemoPassword = "Browser-Demo-Pass-2026";
    public const string AdminPassword = "Browser-Admin-Pass-2026";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly string _dataDir;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TaizhangServer(Process process, string dataDir)
    {
        _process = process;
        _dataDir = dataDir;
    }

    /// <summary>The root address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Everything the app wrote to its console so far (for failure messages).</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Mobile numbers (11 digits from 13 to 19) anywhere in the console output: there must be none.</summary>
    /// <summary>
    /// Every mainland mobile number standing on its own in the log, each with the text around it
    /// (a run of digits inside a hash or token, with letters beside it, is not a phone number).
    /// </summary>
    public IReadOnlyList<string> PhoneNumbersInOutput()
    {
        var output = Output;
        return MobileNumber().Matches(output)
            .Select(m => m.Value + " in «" + output.Substring(Math.Max(0, m.Index - 60), Math.Min(output.Length, m.Index + m.Length + 60) - Math.Max(0, m.Index - 60)) + "»")
            .Distinct().ToList();
    }

    [GeneratedRegex(@"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")]
    private static partial Regex MobileNumber();

    public static string AppDll => Metadata("TaizhangWebDll");

    public static string RepositoryRoot => Metadata("RepositoryRoot");

    /// <param name="workingDirectory">Where the process starts (default: the build output folder, the content root).</param>
    /// <param name="extraArguments">More command-line settings (e.g. log levels).</param>
    public static async Task<TaizhangServer> StartAsync(string? workingDirectory = null, params string[] extraArguments)
    {
        var dll = AppDll;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} does not exist: build the solution in the same configuration first.");
        }
        var dataDir = Path.Combine(Path.GetTempPath(), "taizhang-browser-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);

        var start = new ProcessStartInfo(DotnetHost())
        {
            // The content root (appsettings.json, Calendar/) is the build output folder.
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            dll,
            "--urls", "http://127.0.0.1:0",
            "--demo",
            "--Database:Provider=Sqlite",
            $"--Database:ConnectionString=Data Source={Path.Combine(dataDir, "taizhang.db")}",
            $"--Demo:Password={DemoPassword}",
            $"--Bootstrap:AdminPassword={AdminPassword}",
            // Every test signs in from 127.0.0.1, some twenty times a run: more than one office's minute.
            "--RateLimits:SignInPerMinute=600",
            "--Logging:Console:FormatterName=simple",
            .. extraArguments,
        ];
        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new TaizhangServer(process, dataDir);
        process.OutputDataReceived += (_, e) => server.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnOutput(e.Data);
        process.Exited += (_, _) => server._listening.TrySetException(
            new InvalidOperationException($"The app exited with code {process.ExitCode} before it listened:\n{server.Output}"));
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var timeout = new CancellationTokenSource(StartTimeout);
            try
            {
                server.BaseAddress = await server._listening.Task.WaitAsync(timeout.Token);
                await server.WaitUntilAnsweringAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The app did not answer GET /signin within {StartTimeout}:\n{server.Output}");
            }
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
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
            await Task.Delay(200, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
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
            // Left to the OS; the temporary folder may stay behind.
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left in the temp folder; the test result stands.
        }
    }

    /// <summary>The dotnet host that runs these tests (set by the SDK), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string Metadata(string key) =>
        typeof(TaizhangServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
