using System.Collections.Concurrent;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Taizhang.Web.Tests.Infrastructure;

/// <summary>Every log line of a host, as "category: message exception" (for tests that read what the app logs).</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    /// <summary>A second host of <paramref name="app"/> on the same database whose every log line, at every level, is captured.</summary>
    public static WebApplicationFactory<Program> Host(WebApplicationFactory<Program> app, LogCapture capture) =>
        app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l =>
        {
            l.AddProvider(capture);
            l.AddFilter<LogCapture>(null, LogLevel.Trace);
        })));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Lines.Enqueue(category + ": " + formatter(state, exception) + (exception is null ? string.Empty : " " + exception));
    }
}
