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
}
