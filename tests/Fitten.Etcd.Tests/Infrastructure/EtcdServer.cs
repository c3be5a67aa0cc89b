using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using dotnet_etcd;
using Grpc.Net.Client;

namespace Fitten.Etcd.Tests.Infrastructure;

/// <summary>
/// A real single-member etcd on 127.0.0.1 ports chosen free, with its data in a temporary folder, that tests can
/// kill and restart (same ports, same data).
/// </summary>
public sealed class EtcdServer : IAsyncDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "fitten-etcd-" + Guid.NewGuid().ToString("N"));
    private readonly int _clientPort = FreePort();
    private readonly int _peerPort = FreePort();
    private Process? _process;

    private EtcdServer()
    {
    }

    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{_clientPort}");

    public static async Task<EtcdServer> StartAsync()
    {
        var server = new EtcdServer();
        await server.RestartAsync();
        return server;
    }

    /// <summary>Kills etcd at once (SIGKILL): no graceful shutdown.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>
    /// Starts etcd (again) on the same ports, with the same data or, when <paramref name="wipeData"/>, none (a
    /// member replaced after losing its disk), and waits until it answers reads.
    /// </summary>
    public async Task RestartAsync(bool wipeData = false)
    {
        Kill();
        if (wipeData && Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }

        string peer = $"http://127.0.0.1:{_peerPort}";
        var start = new ProcessStartInfo("etcd")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
        {
            "--name", "fitten", "--data-dir", _dataDir,
            "--listen-client-urls", Endpoint, "--advertise-client-urls", Endpoint,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", "fitten=" + peer,
        })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("etcd did not start.");

        // etcd logs a lot; drain both pipes so it never blocks on a full one.
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (int i = 0; i < 200; i++)
        {
            if (await AcceptsAsync())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("etcd did not accept connections within 10 s.");
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.Yield();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder.
        }
    }

    /// <summary>Compacts etcd's history up to its current revision: watches that need older revisions are told so.</summary>
    public async Task CompactAsync()
    {
        using var channel = GrpcChannel.ForAddress(Endpoint);
        using var client = new EtcdClient(channel.CreateCallInvoker());
        var current = await client.GetAsync("/fitten/compact", deadline: DateTime.UtcNow.AddSeconds(5));
        await client.CompactAsync(new Etcdserverpb.CompactionRequest { Revision = current.Header.Revision, Physical = true }, deadline: DateTime.UtcNow.AddSeconds(5));
    }

    /// <summary>True once etcd answers a read (it listens before its single member has elected itself leader).</summary>
    private async Task<bool> AcceptsAsync()
    {
        using var channel = GrpcChannel.ForAddress(Endpoint);
        using var client = new EtcdClient(channel.CreateCallInvoker());
        try
        {
            await client.GetAsync("/fitten/ready", deadline: DateTime.UtcNow.AddSeconds(1));
            return true;
        }
        catch (Grpc.Core.RpcException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
