using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

public sealed class TextSimilarityTests
{
    [Fact]
    public void Identical_texts_score_one()
    {
        Assert.Equal(1.0, TextSimilarity.Dice("村口路灯不亮", "村口路灯不亮"), 6);
    }

    [Fact]
    public void Texts_without_a_shared_bigram_score_zero()
    {
        Assert.Equal(0.0, TextSimilarity.Dice("村口路灯不亮", "宅基地纠纷"), 6);
    }

    [Fact]
    public void Empty_or_blank_texts_score_zero()
    {
        Assert.Equal(0.0, TextSimilarity.Dice("", "村口路灯不亮"), 6);
        Assert.Equal(0.0, TextSimilarity.Dice((string?)null, null), 6);
        Assert.Equal(0.0, TextSimilarity.Dice("，。 ", "，。 "), 6);
    }

    [Fact]
    public void Dice_counts_shared_bigrams_over_both_sizes()
    {
        // 路灯不亮: 路灯 灯不 不亮 (3); 路灯坏了: 路灯 灯坏 坏了 (3); one shared → 2·1/6.
        Assert.Equal(1.0 / 3, TextSimilarity.Dice("路灯不亮", "路灯坏了"), 6);
    }

    [Fact]
    public void Repeated_bigrams_count_as_a_multiset()
    {
        // 哈哈哈: 哈哈 ×2; 哈哈: 哈哈 ×1 → 2·1/3.
        Assert.Equal(2.0 / 3, TextSimilarity.Dice("哈哈哈", "哈哈"), 6);
    }

    [Fact]
    public void Punctuation_spaces_case_and_full_width_forms_are_ignored()
    {
        Assert.Equal(1.0, TextSimilarity.Dice("村口 路灯，不亮！", "村口路灯不亮"), 6);
        Assert.Equal(1.0, TextSimilarity.Dice("ＡＢＣ１２", "abc12"), 6);
    }

    [Fact]
    public void A_single_character_compares_as_itself()
    {
        Assert.Equal(1.0, TextSimilarity.Dice("水", "水"), 6);
        Assert.Equal(0.0, TextSimilarity.Dice("水", "电"), 6);
    }

    [Fact]
    public void Dice_is_symmetric()
    {
        Assert.Equal(TextSimilarity.Dice("自来水停水三天", "停水三天了"), TextSimilarity.Dice("停水三天了", "自来水停水三天"), 9);
    }

    [Fact]
    public void Score_weights_the_title_more_than_the_description()
    {
        var a = TextSimilarity.Matter.Of("村口路灯不亮", "晚上出行不便");
        var sameTitle = TextSimilarity.Matter.Of("村口路灯不亮", "完全不同的描述内容");
        var sameDescription = TextSimilarity.Matter.Of("完全不同的标题", "晚上出行不便");

        Assert.True(TextSimilarity.Score(a, sameTitle) > TextSimilarity.Score(a, sameDescription));
        Assert.True(TextSimilarity.Score(a, sameTitle) >= TextSimilarity.SuggestThreshold);
        Assert.True(TextSimilarity.Score(a, sameDescription) < TextSimilarity.SuggestThreshold);
    }

    [Fact]
    public void Score_of_a_near_identical_matter_passes_the_threshold_and_an_unrelated_one_does_not()
    {
        var a = TextSimilarity.Matter.Of("马家村三组村口路灯不亮", "村口路灯坏了两个星期，晚上出行不便。");
        var b = TextSimilarity.Matter.Of("马家村三组村口的路灯不亮了", "路灯坏了两周，晚上走路看不见。");
        var c = TextSimilarity.Matter.Of("自来水停水三天", "家里停水三天了，没人来修。");

        Assert.True(TextSimilarity.Score(a, b) >= TextSimilarity.SuggestThreshold);
        Assert.True(TextSimilarity.Score(a, c) < TextSimilarity.SuggestThreshold);
    }

    [Fact]
    public void Score_without_a_description_is_the_title_alone()
    {
        var a = TextSimilarity.Matter.Of("村口路灯不亮", "");
        var b = TextSimilarity.Matter.Of("村口路灯不亮", "晚上出行不便");
        Assert.Equal(1.0, TextSimilarity.Score(a, b), 6);
    }

    [Fact]
    public void Only_the_beginning_of_a_long_description_is_compared()
    {
        var common = string.Concat(Enumerable.Repeat("村口路灯坏了", 60));
        var a = TextSimilarity.Matter.Of("路灯", common + "甲乙丙丁戊己庚辛");
        var b = TextSimilarity.Matter.Of("路灯", common + "子丑寅卯辰巳午未");
        Assert.Equal(1.0, TextSimilarity.Score(a, b), 6);
    }
}
