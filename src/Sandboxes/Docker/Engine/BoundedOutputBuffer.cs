using System.Buffers;
using System.Text;

namespace RemoltBlazor.Sandboxes.Docker.Engine;

/// <summary>Collects output up to a cap and remembers whether more arrived, so a chatty command cannot exhaust memory.</summary>
internal sealed class BoundedOutputBuffer
{
    private readonly ArrayBufferWriter<byte> _bytes = new();
    private readonly int _capacity;

    public BoundedOutputBuffer(int capacity) => _capacity = capacity;

    public bool Truncated { get; private set; }

    public int Length => _bytes.WrittenCount;

    public void Append(ReadOnlySpan<byte> data)
    {
        var room = _capacity - _bytes.WrittenCount;
        if (data.Length > room)
        {
            Truncated = true;
            data = data[..Math.Max(room, 0)];
        }

        _bytes.Write(data);
    }

    public byte[] ToArray() => _bytes.WrittenSpan.ToArray();

    public string ToText() => Encoding.UTF8.GetString(_bytes.WrittenSpan);
}
