namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>What stands behind the fake's pods (the kubelet's part).</summary>
public enum FakePodBackend
{
    /// <summary>A pod is scheduled and Running as soon as it is created; exec runs the command on this host (under <c>script</c> for a TTY).</summary>
    Local,

    /// <summary>Every pod is a real Docker container of the pod's image, and its status follows the container.</summary>
    Docker,

    /// <summary>A pod stays as created (Pending) until the test sets its status with <see cref="FakeResourceStore.Update"/>; exec runs on this host once it is Running.</summary>
    Manual,
}
