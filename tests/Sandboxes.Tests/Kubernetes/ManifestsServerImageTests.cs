using k8s.Models;
using RemoltBlazor.TestSupport;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// The server image under the Deployment's own security context, translated to Docker: uid and gid from the pod,
/// the fsGroup as a supplementary group, a read-only root filesystem, no capabilities, no privilege escalation, the
/// emptyDir as a tmpfs and the data claim as a fresh volume the way the kubelet hands it over with fsGroup (root's,
/// group fsGroup, g+rwx and setgid). This is what "restricted" and readOnlyRootFilesystem ask of the app; no cluster can run here.
/// </summary>
public sealed class ManifestsServerImageTests(ManifestsFixture manifests) : IClassFixture<ManifestsFixture>
{
    [ServerImageFact]
    public async Task The_server_starts_as_the_deployment_runs_it_and_writes_only_its_volumes()
    {
        var deployment = ManifestsFixture.Named<V1Deployment>(manifests.Base, "remolt-server");
        var pod = deployment.Spec.Template.Spec;
        var name = $"remolt-manifests-{TestRun.NewInstanceId()}";
        try
        {
            await DockerCli.RunAsync($"volume create --label remolt.test-run={TestRun.Id} {name}");
            // What the kubelet does to a volume of a pod with fsGroup (the first mount copies the image's /data).
            await DockerCli.RunAsync($"run --rm --network none --user 0 -v {name}:/data --entrypoint sh {ServerImageFactAttribute.Image} -c \"chown 0:{pod.SecurityContext.FsGroup} /data && chmod 2775 /data\"");
            var started = await DockerCli.ExecuteAsync(RunArguments(pod, name), TimeSpan.FromSeconds(60));
            started.ExitCode.ShouldBe(0, started.Stderr);

            // The image's own healthcheck verb (GET /health on 127.0.0.1:8080), as the pod's user, like a kubelet exec.
            var healthy = false;
            for (var deadline = DateTime.UtcNow.AddSeconds(90); !healthy && DateTime.UtcNow < deadline; await Task.Delay(500))
            {
                healthy = (await DockerCli.ExecuteAsync(["exec", name, "/app/RemoltBlazor.Web", "healthcheck"], TimeSpan.FromSeconds(30))).ExitCode == 0;
            }

            healthy.ShouldBeTrue("the server did not answer /health within 90 s; its log:\n" + await LogsAsync(name));

            (await ExecAsync(name, "id", "-u")).ShouldBe("10001");
            (await ExecAsync(name, "stat", "-c", "%u", "/data/remolt.db")).ShouldBe("10001", "the database is on the data volume, the app's");
            (await ExecAsync(name, "awk", "$2 == \"/\" { split($4, o, \",\"); print o[1] }", "/proc/mounts")).ShouldBe("ro", "the root filesystem is read-only");
            // Started as a non-root user, the entrypoint runs the app as it is (no chown, no setpriv, no socket notice).
            (await LogsAsync(name)).ShouldNotContain("remolt-entrypoint");
        }
        finally
        {
            await DockerCli.ExecuteAsync(["rm", "-f", name], TimeSpan.FromSeconds(60));
            await DockerCli.ExecuteAsync(["volume", "rm", name], TimeSpan.FromSeconds(60));
        }
    }

    private static List<string> RunArguments(V1PodSpec pod, string name)
    {
        var container = pod.Containers.ShouldHaveSingleItem();
        var own = container.SecurityContext;
        var fsGroup = pod.SecurityContext.FsGroup.ShouldNotBeNull();
        List<string> args =
        [
            "run", "-d", "--name", name, "--label", $"remolt.test-run={TestRun.Id}", "--network", "none",
            "--user", $"{own.RunAsUser ?? pod.SecurityContext.RunAsUser}:{own.RunAsGroup ?? pod.SecurityContext.RunAsGroup}",
            "--group-add", fsGroup.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        if (own.ReadOnlyRootFilesystem == true)
        {
            args.Add("--read-only");
        }

        if (own.Capabilities.Drop.Contains("ALL"))
        {
            args.AddRange(["--cap-drop", "ALL"]);
        }

        if (own.AllowPrivilegeEscalation == false)
        {
            args.AddRange(["--security-opt", "no-new-privileges"]);
        }

        var volumes = pod.Volumes.ToDictionary(v => v.Name);
        foreach (var mount in container.VolumeMounts)
        {
            // An emptyDir is world-writable; the claim is the volume prepared above.
            args.AddRange(volumes[mount.Name].EmptyDir is not null
                ? ["--mount", $"type=tmpfs,dst={mount.MountPath},tmpfs-mode=1777"]
                : ["-v", $"{name}:{mount.MountPath}"]);
        }

        foreach (var env in container.Env.Where(e => e.Value is not null))
        {
            // No cluster here: the Docker runtime stands in (no engine is mounted, so it reports unavailable), which
            // /health does not depend on.
            args.AddRange(["-e", env.Name == "REMOLT_RUNTIME" ? "REMOLT_RUNTIME=docker" : $"{env.Name}={env.Value}"]);
        }

        args.Add(ServerImageFactAttribute.Image);
        return args;
    }

    private static async Task<string> ExecAsync(string name, params string[] command)
    {
        var result = await DockerCli.ExecuteAsync(["exec", name, .. command], TimeSpan.FromSeconds(30));
        result.ExitCode.ShouldBe(0, result.Stderr);
        return result.Stdout.Trim();
    }

    private static async Task<string> LogsAsync(string name)
    {
        var logs = await DockerCli.ExecuteAsync(["logs", name], TimeSpan.FromSeconds(30));
        return logs.Stdout + logs.Stderr;
    }
}
