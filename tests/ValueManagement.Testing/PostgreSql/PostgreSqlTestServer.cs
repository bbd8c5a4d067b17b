using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ValueManagement.Testing.PostgreSql;

/// <summary>
/// One PostgreSQL server for the whole test process, found or started at first use: the server named
/// by <c>VM_TEST_POSTGRES</c> (a connection string on loopback, as <c>.ci/run</c> sets it) when it
/// answers, else one started here from Debian's packages (<c>/usr/lib/postgresql/*/bin</c>) in a
/// temporary directory on 127.0.0.1, stopped and deleted when the process ends. When neither can be
/// had, <see cref="UnavailableReason"/> says why and the tests that need it skip with that reason.
/// <c>VM_TEST_POSTGRES=none</c> forces that, to see the skips.
/// </summary>
public sealed class PostgreSqlTestServer
{
    public const string EnvironmentVariable = "VM_TEST_POSTGRES";

    private static readonly Lazy<PostgreSqlTestServer> SharedServer = new(Find, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string? _adminConnectionString;

    private PostgreSqlTestServer(string? adminConnectionString, string? unavailableReason, string description)
    {
        _adminConnectionString = adminConnectionString;
        UnavailableReason = unavailableReason;
        Description = description;
    }

    /// <summary>The server of this test process (found or started at first use).</summary>
    public static PostgreSqlTestServer Shared => SharedServer.Value;

    /// <summary>Why there is no server (null when there is one).</summary>
    public string? UnavailableReason { get; }

    public string Description { get; }

    /// <summary>Makes an empty database (<c>vm_&lt;random&gt;</c>) and answers its connection string.</summary>
    public string CreateDatabase(out string name)
    {
        var admin = _adminConnectionString ?? throw new InvalidOperationException($"No PostgreSQL server: {UnavailableReason}");
        name = $"vm_{Guid.NewGuid():N}"[..24];
        using (var connection = new NpgsqlConnection(admin))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"create database {name}", connection);
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
    }

    public void DropDatabase(string name)
    {
        if (_adminConnectionString is null) return;
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(_adminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"drop database if exists {name} with (force)", connection);
        command.ExecuteNonQuery();
    }

    private static PostgreSqlTestServer Find()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.Equals(configured, "none", StringComparison.OrdinalIgnoreCase))
            return Unavailable($"{EnvironmentVariable}=none asks for no PostgreSQL server.");

        var problems = new List<string>();
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var problem = TryConfigured(configured, out var admin);
            if (problem is null) return new PostgreSqlTestServer(admin, null, $"the server in {EnvironmentVariable}");
            problems.Add(problem);
        }

        var started = LocalServer.TryStart(out var startProblem);
        if (started is not null) return new PostgreSqlTestServer(started.AdminConnectionString, null, started.Description);
        problems.Add(startProblem!);
        return Unavailable(string.Join(" ", problems));
    }

    private static PostgreSqlTestServer Unavailable(string reason) =>
        new(null, $"PostgreSQL is not available, so this test was skipped: {reason}", "none");

    private static string? TryConfigured(string connectionString, out string admin)
    {
        admin = connectionString;
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            return $"{EnvironmentVariable} is not a connection string ({e.Message}).";
        }
        var host = builder.Host ?? "";
        if (host is not ("127.0.0.1" or "localhost" or "::1") && !host.StartsWith('/'))
            return $"{EnvironmentVariable} names host '{host}'; tests use only a server on 127.0.0.1.";
        builder.Timeout = 5;
        admin = builder.ConnectionString;
        try
        {
            using var connection = new NpgsqlConnection(admin);
            connection.Open();
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            return $"{EnvironmentVariable} names a server that does not answer ({e.Message}).";
        }
    }

    /// <summary>
    /// A server started from Debian's binaries. It runs under a small shell that stops it (fast
    /// shutdown) and deletes its directory when its standard input closes: when this process ends,
    /// however it ends.
    /// </summary>
    private sealed class LocalServer
    {
        private readonly Process _process;
        private readonly string _directory;

        private LocalServer(Process process, string directory, int port, string version)
        {
            _process = process;
            _directory = directory;
            AdminConnectionString = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = port,
                Username = "postgres",
                Database = "postgres",
                Timeout = 5,
            }.ConnectionString;
            Description = $"PostgreSQL {version} started by the tests on 127.0.0.1:{port}";
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
        }

        public string AdminConnectionString { get; }

        public string Description { get; }

        public static LocalServer? TryStart(out string? problem)
        {
            problem = null;
            var bin = FindBinaries();
            if (bin is null)
            {
                problem = "no PostgreSQL server binaries were found under /usr/lib/postgresql/*/bin (install the Debian package 'postgresql').";
                return null;
            }

            var directory = Path.Combine(Path.GetTempPath(), $"vm-postgres-{Guid.NewGuid():N}");
            Directory.CreateDirectory(directory);
            var asRoot = Environment.UserName == "root";
            try
            {
                if (asRoot) RunOrThrow("chown", ["-R", "postgres:postgres", directory]);
                RunOrThrow(asRoot ? RunUser : Path.Combine(bin, "initdb"), [.. AsPostgres(asRoot, Path.Combine(bin, "initdb")),
                    "-D", Path.Combine(directory, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);

                var port = FreePort();
                var script = """
                    "$0/postgres" -D "$1/data" -k "$1" -h 127.0.0.1 -p "$2" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 >"$1/server.log" 2>&1 &
                    server=$!
                    cat >/dev/null
                    kill -INT "$server" 2>/dev/null
                    wait "$server"
                    rm -rf "$1"
                    """;
                var start = new ProcessStartInfo(asRoot ? RunUser : "sh") { RedirectStandardInput = true, UseShellExecute = false };
                foreach (var argument in AsPostgres(asRoot, "sh")) start.ArgumentList.Add(argument);
                foreach (var argument in new[] { "-c", script, bin, directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture) }) start.ArgumentList.Add(argument);
                var process = Process.Start(start) ?? throw new InvalidOperationException("The server did not start.");
                var server = new LocalServer(process, directory, port, Path.GetFileName(Path.GetDirectoryName(bin))!);
                var waitProblem = server.WaitUntilAnswering();
                if (waitProblem is null) return server;
                problem = waitProblem;
                server.Stop();
                return null;
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
            {
                problem = $"starting PostgreSQL from {bin} failed: {e.Message}";
                TryDelete(directory);
                return null;
            }
        }

        /// <summary>runuser lives in /usr/sbin, which a non-login shell's PATH may lack.</summary>
        private static string RunUser =>
            new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser" }.FirstOrDefault(File.Exists) ?? "runuser";

        private static string[] AsPostgres(bool asRoot, string program) => asRoot ? ["-u", "postgres", "--", program] : [];

        private static string? FindBinaries()
        {
            const string root = "/usr/lib/postgresql";
            if (!Directory.Exists(root)) return null;
            return Directory.GetDirectories(root)
                .Select(d => (Directory: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Directory, "bin"))
                .FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "postgres")));
        }

        private string? WaitUntilAnswering()
        {
            var deadline = Stopwatch.StartNew();
            Exception? last = null;
            while (deadline.Elapsed < StartTimeout)
            {
                if (_process.HasExited) return $"the PostgreSQL server stopped at start: {ReadLog()}";
                try
                {
                    using var connection = new NpgsqlConnection(AdminConnectionString);
                    connection.Open();
                    return null;
                }
                catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
                {
                    last = e;
                    Thread.Sleep(100);
                }
            }
            return $"the PostgreSQL server did not answer within {StartTimeout.TotalSeconds} s ({last?.Message}): {ReadLog()}";
        }

        private string ReadLog()
        {
            try
            {
                var log = File.ReadAllText(Path.Combine(_directory, "server.log"));
                return log.Length > 2000 ? log[^2000..] : log;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return "(no server log)";
            }
        }

        private void Stop()
        {
            try
            {
                NpgsqlConnection.ClearAllPools();
                if (!_process.HasExited)
                {
                    _process.StandardInput.Close();
                    if (!_process.WaitForExit(TimeSpan.FromSeconds(15))) _process.Kill(entireProcessTree: true);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
            {
                // Ending anyway: the shell deletes the directory when its input closes.
            }
            TryDelete(_directory);
        }

        private static void TryDelete(string directory)
        {
            try
            {
                if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static void RunOrThrow(string program, string[] arguments)
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{Path.GetFileName(arguments.Length > 3 && arguments[0] == "-u" ? arguments[3] : program)} exited with {process.ExitCode}: {error.Trim()} {output.Result.Trim()}".Trim());
        }
    }
}
