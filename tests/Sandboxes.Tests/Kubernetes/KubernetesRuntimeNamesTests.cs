using System.Text;
using RemoltBlazor.Sandboxes.Kubernetes;

namespace RemoltBlazor.Sandboxes.Tests.Kubernetes;

/// <summary>
/// Pod names and label values from ids of any shape are valid for Kubernetes and never merge two ids (the original
/// put the raw session id in a label and failed about 3% of creates; lowercasing 16 characters made collisions).
/// </summary>
public sealed class KubernetesRuntimeNamesTests
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@ é日";

    [Fact]
    public void Names_and_label_values_of_random_ids_are_valid_and_distinct()
    {
        var random = new Random(1313);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var ids = Enumerable.Range(0, 20_000).Select(_ => RandomId(random)).Concat(Edges()).Distinct(StringComparer.Ordinal).ToList();
        foreach (var id in ids)
        {
            var name = KubernetesNames.PodName(id);
            KubernetesNames.IsValidName(name).ShouldBeTrue($"pod name '{name}' of '{id}'");
            name.Length.ShouldBeLessThanOrEqualTo(63);
            KubernetesNames.IsValidName(KubernetesNames.ClaimName(name)).ShouldBeTrue($"claim of '{name}'");
            names.TryAdd(name, id).ShouldBeTrue($"'{id}' and '{names.GetValueOrDefault(name)}' share pod name '{name}'");

            var label = KubernetesNames.LabelValue(id);
            KubernetesNames.IsValidLabelValue(label).ShouldBeTrue($"label value '{label}' of '{id}'");
            labels.TryAdd(label, id).ShouldBeTrue($"'{id}' and '{labels.GetValueOrDefault(label)}' share label value '{label}'");
        }

        names.Count.ShouldBe(ids.Count);
        ids.Count.ShouldBeGreaterThan(19_000);
    }

    [Theory]
    [InlineData("-abc")]
    [InlineData("_abc")]
    [InlineData("abc-")]
    [InlineData("日本")]
    public void Invalid_label_values_are_cleaned_and_valid_ones_kept(string raw)
    {
        KubernetesNames.IsValidLabelValue(raw).ShouldBeFalse();
        var label = KubernetesNames.LabelValue(raw);
        KubernetesNames.IsValidLabelValue(label).ShouldBeTrue(label);
        KubernetesNames.LabelValue("alice").ShouldBe("alice");
        KubernetesNames.LabelValue("").ShouldBe("");
    }

    [Fact]
    public void Ids_that_differ_only_in_case_or_separator_get_different_names()
    {
        var ids = new[] { "abc_def", "abc-def", "ABC-def", "abc.def", "abcdef" };
        ids.Select(KubernetesNames.PodName).Distinct().Count().ShouldBe(ids.Length);
        KubernetesNames.PodName("abc_def").ShouldStartWith("remolt-abc-def-");
    }

    private static IEnumerable<string> Edges() =>
    [
        "", "-", "_", "---", "a", new string('a', 60), new string('a', 63), new string('-', 60), "_" + new string('x', 59),
        "-" + new string('Y', 59), new string('日', 60), "warm-0123456789ab",
    ];

    private static string RandomId(Random random)
    {
        var length = random.Next(1, 61);
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(Alphabet[random.Next(Alphabet.Length)]);
        }

        return builder.ToString();
    }
}
