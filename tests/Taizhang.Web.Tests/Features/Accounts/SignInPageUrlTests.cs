using Taizhang.Web.Features.Accounts;

namespace Taizhang.Web.Tests.Features.Accounts;

/// <summary>The sign-in page only ever sends people back to a page of this site.</summary>
public sealed class SignInPageUrlTests
{
    [Theory]
    [InlineData("/", true)]
    [InlineData("/api/v1/cases?status=Registered", true)]
    [InlineData("//evil.example/x", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("https://evil.example", false)]
    [InlineData("evil", false)]
    [InlineData("/x\r\nSet-Cookie: a=b", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsLocal(string? url, bool expected) => Assert.Equal(expected, Taizhang.Web.Pages.SignInModel.IsLocal(url));

    [Theory]
    [InlineData("/cases?q=张三", "/cases?q=%E5%BC%A0%E4%B8%89")]
    [InlineData("/cases?q=%E5%BC%A0", "/cases?q=%E5%BC%A0")]
    [InlineData("/board", "/board")]
    [InlineData("//evil.example", "/")]
    [InlineData(null, "/")]
    public void LocalOrHome_IsAsciiAndStaysHere(string? url, string expected) =>
        Assert.Equal(expected, Taizhang.Web.Pages.SignInModel.LocalOrHome(url));
}
