using Taizhang.Browser.Tests.Infrastructure;

namespace Taizhang.Browser.Tests.Features.Pages;

/// <summary>The accessibility check used on every page finds what it claims to find.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityCheckTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("<input id=a>", "no label")]
    [InlineData("<label for=a>名称</label><input id=a><button></button>", "no name")]
    [InlineData("<label for=a>名称</label><input id=a tabindex=3>", "positive tabindex")]
    [InlineData("<p style='color:#bbb;background:#fff'>浅灰色的字</p>", "contrast")]
    public async Task FindsTheProblem(string html, string expected)
    {
        await using var tab = await browser.NewPageAsync();
        await tab.Page.SetContentAsync($"<!DOCTYPE html><html lang=zh-CN><body>{html}</body></html>");

        var failure = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => Staff.AssertAccessibleAsync(tab.Page));
        Assert.Contains(expected, failure.Message);
    }

    [Fact]
    public async Task PassesAGoodPage()
    {
        await using var tab = await browser.NewPageAsync();
        await tab.Page.SetContentAsync("<!DOCTYPE html><html lang=zh-CN><body><label for=a>名称</label><input id=a><button>保存</button><p>正文</p></body></html>");
        await Staff.AssertAccessibleAsync(tab.Page);
    }
}
