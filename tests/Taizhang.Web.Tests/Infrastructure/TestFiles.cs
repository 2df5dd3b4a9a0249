using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.Metadata.Profiles.Xmp;
using SixLabors.ImageSharp.PixelFormats;

namespace Taizhang.Web.Tests.Infrastructure;

/// <summary>Files to upload, made in the test: images (with EXIF GPS when asked), Office documents, and things that only pretend.</summary>
public static class TestFiles
{
    /// <summary>Where the resident's phone says the photo was taken: 35°30'N 104°15'E, which must never leave the upload.</summary>
    public static readonly Rational[] Latitude = [new(35, 1), new(30, 1), new(0, 1)];
    public static readonly Rational[] Longitude = [new(104, 1), new(15, 1), new(0, 1)];

    public static byte[] Png(int width, int height)
    {
        using var image = Pattern<Rgba32>(width, height);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    public static byte[] Webp(int width, int height)
    {
        using var image = Pattern<Rgba32>(width, height);
        using var stream = new MemoryStream();
        image.SaveAsWebp(stream);
        return stream.ToArray();
    }

    /// <summary>
    /// A JPEG as a phone writes it: EXIF with the camera, the GPS position and an orientation, and an
    /// XMP packet with the position again.
    /// </summary>
    public static byte[] JpegWithGps(int width, int height, ushort orientation = 1)
    {
        using var image = Pattern<Rgb24>(width, height);
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.Make, "TestPhone");
        exif.SetValue(ExifTag.Model, "Resident 1");
        exif.SetValue(ExifTag.GPSLatitudeRef, "N");
        exif.SetValue(ExifTag.GPSLatitude, Latitude);
        exif.SetValue(ExifTag.GPSLongitudeRef, "E");
        exif.SetValue(ExifTag.GPSLongitude, Longitude);
        exif.SetValue(ExifTag.Orientation, orientation);
        image.Metadata.ExifProfile = exif;
        image.Metadata.XmpProfile = new XmpProfile(Encoding.UTF8.GetBytes(
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
            + "<rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" exif:GPSLatitude=\"35,30N\" exif:GPSLongitude=\"104,15E\"/>"
            + "</rdf:RDF></x:xmpmeta>"));
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        var bytes = stream.ToArray();
        Assert.NotNull(Image.Identify(bytes)!.Metadata.ExifProfile?.GetValue(ExifTag.GPSLatitude));
        return bytes;
    }

    /// <summary>A JPEG's start (SOI, APP0) and then nothing a decoder can use.</summary>
    public static byte[] CorruptJpeg() =>
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF\0"u8, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, .. Enumerable.Range(0, 400).Select(i => (byte)(i * 7 % 251))];

    /// <summary>A Windows program's start ("MZ", the DOS stub's text).</summary>
    public static byte[] Exe() => [.. "MZ"u8, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, .. "This program cannot be run in DOS mode."u8, .. new byte[200]];

    public static byte[] Html() => "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"u8.ToArray();

    public static byte[] Pdf() => "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray();

    /// <summary>An OLE2 compound file's signature (.doc, .xls), then zeros.</summary>
    public static byte[] Ole2() => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]];

    /// <summary>The smallest Word document: [Content_Types].xml naming word/document.xml as its main part; with macros when asked.</summary>
    public static byte[] Docx(bool macros = false)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            var main = macros
                ? "application/vnd.ms-word.document.macroEnabled.main+xml"
                : "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
            Write(zip, "[Content_Types].xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + $"<Override PartName=\"/word/document.xml\" ContentType=\"{main}\"/></Types>");
            Write(zip, "_rels/.rels",
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>");
            Write(zip, "word/document.xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
                + "<w:body><w:p><w:r><w:t>村民议事会会议纪要</w:t></w:r></w:p></w:body></w:document>");
            if (macros)
            {
                Write(zip, "word/vbaProject.bin", "not really VBA");
            }
        }
        return stream.ToArray();
    }

    /// <summary>A ZIP that is no Office document.</summary>
    public static byte[] Zip()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, "readme.txt", "hello");
        }
        return stream.ToArray();
    }

    /// <summary>The body of an upload: the file under <paramref name="field"/> with the name and type the client claims, and other fields.</summary>
    public static MultipartFormDataContent Multipart(byte[] bytes, string fileName, string field = "file", string claimedType = "application/octet-stream",
        params (string Name, string Value)[] fields)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(claimedType);
        if (fileName.Length == 0)
        {
            // What a browser sends for a file input left empty: a part with an empty file name.
            file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"" + field + "\"", FileName = "\"\"" };
            content.Add(file);
            return content;
        }
        content.Add(file, field, fileName);
        return content;
    }

    private static void Write(ZipArchive zip, string name, string text)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
        writer.Write(text);
    }

    /// <summary>A picture with a horizontal gradient, so orientation and resizing show.</summary>
    private static Image<TPixel> Pattern<TPixel>(int width, int height) where TPixel : unmanaged, IPixel<TPixel>
    {
        var image = new Image<TPixel>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var pixel = default(TPixel);
                pixel.FromRgba32(new Rgba32((byte)(x * 255 / Math.Max(1, width - 1)), (byte)(y * 255 / Math.Max(1, height - 1)), 128, 255));
                image[x, y] = pixel;
            }
        }
        return image;
    }
}
