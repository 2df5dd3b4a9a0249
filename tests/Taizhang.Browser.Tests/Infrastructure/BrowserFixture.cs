using Microsoft.Playwright;

namespace Taizhang.Browser.Tests.Infrastructure;

/// <summary>
/// One app process and one headless Chromium for the whole collection. Each test opens its own
/// browser context (fresh cookies) with <see cref="NewPageAsync"/>.
/// </summary>
/// <remarks>
/// Chromium is Debian's (/usr/bin/chromium, package "chromium"; Chinese text needs
/// "fonts-noto-cjk"): ./test.sh installs both. Playwright's own browser download is never used.
/// TAIZHANG_CHROMIUM points at another Chromium binary.
/// </remarks>
public sealed class BrowserFixture : IAsyncLifetime
{
    public TaizhangServer Server { get; private set; } = null!;

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("TAIZHANG_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"No Chromium at {ChromiumPath}: install Debian's 'chromium' package (./test.sh does).");
        }
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        // Start the app and the browser side by side: both take a few seconds.
        // Closed periods are recounted on every request: the reporting journey reopens a case and reads last month again.
        var server = TaizhangServer.StartAsync(null, "--Reports:ClosedPeriodCacheSeconds=0");
        try
        {
            await LaunchAsync();
        }
        catch
        {
            await DisposeQuietlyAsync(server);
            throw;
        }
        try
        {
            Server = await server;
        }
        catch
        {
            await CloseBrowserAsync();
            throw;
        }
    }

    private static async Task DisposeQuietlyAsync(Task<TaizhangServer> server)
    {
        try
        {
            await (await server).DisposeAsync();
        }
        catch (Exception)
        {
            // The browser's failure is the one to report.
        }
    }

    private async Task LaunchAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
            ],
        });
    }

    /// <summary>
    /// A page in a new context: a Chinese-speaking browser (Accept-Language zh-CN) unless told
    /// otherwise, with console errors and uncaught page errors collected in <see cref="TestPage.Errors"/>.
    /// </summary>
    public Task<TestPage> NewPageAsync(string locale = "zh-CN") => NewPageAsync(locale, phone: false);

    /// <param name="phone">A phone's screen (375 × 812 CSS pixels, touch, twice the pixel density), as a resident's.</param>
    public async Task<TestPage> NewPageAsync(string locale, bool phone)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            Locale = locale,
            ViewportSize = phone ? new ViewportSize { Width = 375, Height = 812 } : new ViewportSize { Width = 1024, Height = 720 },
            IsMobile = phone,
            HasTouch = phone,
            DeviceScaleFactor = phone ? 2 : 1,
        });
        var page = await context.NewPageAsync();
        var result = new TestPage(context, page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                result.Errors.Add($"console.error: {message.Text} (at {message.Location})");
            }
        };
        page.PageError += (_, error) => result.Errors.Add($"page error: {error}");
        return result;
    }

    public async Task DisposeAsync()
    {
        await CloseBrowserAsync();
        if (Server is not null)
        {
            await Server.DisposeAsync();
            // Every journey of the run went through this server, the hotline's phone numbers included:
            // its log holds none of them (a failure here fails the run).
            if (Server.PhoneNumbersInOutput() is { Count: > 0 } phones)
            {
                throw new InvalidOperationException("phone numbers in the server's log: " + string.Join(", ", phones));
            }
        }
    }

    private async Task CloseBrowserAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            _browser = null;
        }
        _playwright?.Dispose();
        _playwright = null;
    }
}

public sealed class TestPage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IBrowserContext Context { get; } = context;

    public IPage Page { get; } = page;

    /// <summary>Console errors and uncaught exceptions seen so far.</summary>
    public List<string> Errors { get; } = [];

    public ValueTask DisposeAsync() => new(Context.CloseAsync());
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
