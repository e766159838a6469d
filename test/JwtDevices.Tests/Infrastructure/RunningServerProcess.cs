using System.Collections.Concurrent;
using System.Diagnostics;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// The built server serving as its own process, as an operator starts it, on a free loopback port; killed
/// (it and nothing else) when disposed.
/// </summary>
public sealed class RunningServerProcess : IAsyncDisposable
{
    private const string ListeningLine = "Now listening on: ";

    private readonly Process _process;
    private readonly DirectoryInfo _workingDirectory;
    private readonly ConcurrentQueue<string> _lines;

    private RunningServerProcess(Process process, DirectoryInfo workingDirectory, ConcurrentQueue<string> lines)
    {
        (_process, _workingDirectory, _lines) = (process, workingDirectory, lines);
    }

    /// <summary>The server's address, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What it wrote so far, standard output and error as they came.</summary>
    public string Output => string.Join('\n', _lines);

    /// <summary>Starts the server with these arguments and waits until it listens.</summary>
    public static async Task<RunningServerProcess> StartAsync(params string[] args)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("jwtdevices-serving-");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "JwtDevices.Server.dll"));
        foreach (var arg in args.Append("--urls=http://127.0.0.1:0"))
        {
            start.ArgumentList.Add(arg);
        }
        var lines = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => Read(line.Data);
        process.ErrorDataReceived += (_, line) => Read(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var running = new RunningServerProcess(process, workingDirectory, lines);
        try
        {
            running.BaseAddress = await listening.Task.WaitAsync(TimeSpan.FromMinutes(1));
            return running;
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException)
        {
            await running.DisposeAsync();
            throw new InvalidOperationException($"The server did not start listening:\n{string.Join('\n', lines)}", exception);
        }

        void Read(string? line)
        {
            if (line is null)
            {
                listening.TrySetException(new InvalidOperationException("The server closed its output."));
                return;
            }
            lines.Enqueue(line);
            if (line.IndexOf(ListeningLine, StringComparison.Ordinal) is var at and >= 0)
            {
                listening.TrySetResult(new Uri(line[(at + ListeningLine.Length)..].Trim().TrimEnd('/') + "/"));
            }
        }
    }

    /// <summary>A client of the server's port.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            _workingDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the system.
        }
    }
}
