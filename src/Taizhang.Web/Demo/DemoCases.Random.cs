// The random helpers. Every draw of the demo year, through these or straight from _rng, comes from the
// one seeded Random, so the order and arguments of the calls are the demo's data: moving one call
// changes every case after it.
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Demo;

internal sealed partial class DemoCases
{
    private double U(double min, double max) => min + (_rng.NextDouble() * (max - min));

    private bool Chance(double p) => _rng.NextDouble() < p;

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    private T PickWeighted<T>((T Item, int Weight)[] items)
    {
        var roll = _rng.Next(items.Sum(i => i.Weight));
        foreach (var (item, weight) in items)
        {
            if (roll < weight)
            {
                return item;
            }
            roll -= weight;
        }
        return items[^1].Item;
    }

    /// <summary>Mostly the template's urgency, sometimes one step either way.</summary>
    private Urgency Near(Urgency typical)
    {
        var roll = _rng.NextDouble();
        var shift = roll < 0.15 ? -1 : roll < 0.85 ? 0 : 1;
        return (Urgency)Math.Clamp((int)typical + shift, (int)Urgency.Urgent, (int)Urgency.Low);
    }

    private void Shuffle<T>(T[] items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = _rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
