namespace Taizhang.Browser.Tests.Infrastructure;

/// <summary>
/// Where the browser tests save their screenshots: artifacts/screenshots/ under the repository
/// root (ignored by git), so a test run leaves the working tree as it found it. The tracked
/// pictures in docs/screenshots/ change only through ./screenshots.sh, which points
/// <see cref="FolderVariable"/> elsewhere and copies the pictures in once every browser test passed.
/// </summary>
public static class Screenshots
{
    /// <summary>Another folder for the screenshots; a relative path is taken from the repository root.</summary>
    public const string FolderVariable = "TAIZHANG_SCREENSHOTS";

    public static string Folder => Path.GetFullPath(
        Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } folder ? folder : Path.Combine("artifacts", "screenshots"),
        TaizhangServer.RepositoryRoot);

    /// <summary>The file to save the screenshot <paramref name="name"/> (e.g. "board.png") to; its folder exists.</summary>
    public static string PathOf(string name)
    {
        var folder = Folder;
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }
}
