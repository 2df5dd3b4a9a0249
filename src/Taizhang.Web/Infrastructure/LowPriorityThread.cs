using System.Runtime.InteropServices;

namespace Taizhang.Web.Infrastructure;

/// <summary>
/// Lowers the calling thread's scheduling priority (Linux: nice 19, the lowest, for this thread only, which any process may do
/// to its own threads; .NET's Thread.Priority has no effect there). For background work that must yield the cores
/// to requests when both want them. Elsewhere nothing changes.
/// </summary>
public static class LowPriorityThread
{
    public const int Nice = 19;

    public static void Lower(ILogger log)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            // PRIO_PROCESS with a thread id sets that thread's nice value (setpriority(2), "Linux notes").
            if (SetPriority(0, GetTid(), Nice) != 0)
            {
                log.LogInformation("Could not lower the priority of thread {Name} (errno {Errno})", Thread.CurrentThread.Name, Marshal.GetLastPInvokeError());
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            log.LogInformation("Thread priorities are not available here: {Message}", e.Message);
        }
    }

    /// <summary>The calling thread's nice value (Linux), or null elsewhere.</summary>
    public static int? Current() => OperatingSystem.IsLinux() ? GetPriority(0, GetTid()) : null;

    // DllImport rather than LibraryImport: blittable ints only, and the project stays without unsafe code.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int prio);

    [DllImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static extern int GetPriority(int which, int who);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();
#pragma warning restore SYSLIB1054
}
