"""What a question asks for, read from its wording (no model needed).

- ``kind``: ``comparison`` ("比较", "对比", "分别", "两篇", "each article", "compare", "differ")
  is answered per article; ``list`` ("哪些", "列出", "which … mentioned", "list") gets more,
  and more varied, passages; everything else is ``single``.
- ``expects``: the answer type the question wants (多少/how much → a figure, 谁/who → a person,
  为什么/why → a reason). Ranking passages by whether they can hold such an answer was measured
  and did not carry (README, "What each technique bought"), so nothing ranks by it now.
- ``query``: the question without its *frame*, the words that only say it is a question about
  the documents (文章, 两篇, 提到, "the articles", "mention", "compare"). Every question in this
  product is about documents, so these words never tell one passage from another; they are
  recognised here rather than made stopwords, because a document may use them as content.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from agent.language import spaced_scripts
from index.bridge import cedict_common_word, cedict_index, lemmas
from index.corpus import Corpus
from index.entities import _tagged
from index.tokenize import EN_STOPWORDS, ZH_STOPWORDS, has_cjk, latin_words, tokenize

Kind = Literal["single", "comparison", "list"]
Expects = Literal["number", "person", "reason", "makers", "any"]

# the two articles set against each other without naming them as two: which of them is more
# so ("哪篇更唱衰", "which article is more upbeat"), one and then another ("一篇说流量在掉,一篇
# 说用户在涨"), one by one ("article by article"), both left unnamed at the end of a clause
# ("Yang Zhilin is quoted in both — …", "both article mention"), by number ("article 1 vs
# article 2")
_SET_APART_ZH = (r"哪一?篇(?:文章|报道|稿子)?[^，,。？?]{0,12}?(?:更|比较(?=[\u4e00-\u9fff]))|"
                 r"一篇[^。？?！!]{1,40}?[，,、;；]\s*(?:而|另)?一篇")
_SET_APART_EN = (r"\bwhich (?:article|piece|report|story|outlet|author|writer)\b[^?]{0,40}?"
                 r"\b(?:more|less)\b|"
                 r"\b(?:article|piece|report|story) by (?:article|piece|report|story)\b|"
                 r"\bin both(?=\s*(?:[—–,.;:?!]|- |$))|\bboth (?:article|piece|report)\b|"
                 r"\b(?:article|piece) (?:1|one|#1)\b[^?]{0,40}\b(?:article|piece) "
                 r"(?:2|two|#2)\b")
_ZH_COMPARISON = re.compile(
    # (not 相比: "与上月相比" is a comparative clause, not a request to compare)
    # (比较 is _compares'; 对比 not the test a piece ran: 推理对比里)
    r"对比(?!测试|评测|测评|实验|里|中|时)"
    r"|各自|两篇|两文|两份|两者|异同|区别|差异|有何不同|有什么不同|不同之处"
    r"|共同点|相同点|都怎么|都如何|另一篇|第一篇[^？?]*第二篇"
    # the documents named in the plural or one by one, and asking whether they agree
    r"|每篇|各篇|这些文章|这几篇|几篇文章|两位作者|文章之间|报道之间"
    r"|一致吗|是否一致|一致[？?]|相同吗|是否相同|一样吗|是否一样|有何差别|有什么差别|差别在"
    rf"|{_SET_APART_ZH}"
)
_EN_COMPARISON = re.compile(
    # (not a comparative clause: "visits dropped compared with the month before")
    # (nor "how does the piece contrast video generation with deep reasoning": two things)
    # ("a comparison of…"; not the test the article ran: "the writer's deep-reasoning comparison")
    r"\b(?:compare[sd]?(?! (?:with|to)\b)|comparing|comparison (?:of|between)\b|^comparison\b"
    r"|in comparison\b"
    r"|contrast(?:s|ed|ing)?(?! (?!the (?:two|articles|pieces))[^?.]{1,60}? (?:with|to|and)\b)"
    r"|differ(?:s|ence|ences|ent)?"
    r"|each (?:article|piece|report|document|source)|each of the|both (?:articles|pieces|reports"
    r"|documents|sources)|the two (?:articles|pieces|reports|documents|sources)|in common"
    r"|agree|similarit(?:y|ies)"
    # the documents named in the plural or one by one, and asking whether they agree
    r"|(?:each|either) (?:of the )?(?:articles?|pieces?|reports?|documents?|sources?"
    r"|authors?|writers?|stor(?:y|ies)|accounts?|outlets?)"
    r"|(?:the|these|both|two|all) (?:two )?(?:articles|pieces|reports|stories|write-ups|accounts"
    r"|authors|writers|outlets)|same way|side by side"
    r"|the other (?:article|piece|report|document|source|author|writer|story|account|outlet)"
    # "one article cites shrinking traffic and the other growing usage"
    r"|one (?:article|piece|report|story|source|outlet|write-up)\b[^?]{0,100}?\bthe other"
    r"|share (?:a|the same) (?:view|take)"
    rf"|{_SET_APART_EN}"
    # the first article and the second one, both named: what one says against the other
    r"|(?:first|1st) (?:article|piece|report|story|one)\b[^?]*\b(?:second|2nd|latter|other)"
    r" (?:article|piece|report|story|one))\b",
    re.IGNORECASE,
)
_ZH_LIST = re.compile(r"哪些|哪几|列出|列举|都有谁|有哪|有谁|几家|哪几家|都有什么|盘点|名单")
_EN_LIST = re.compile(
    r"\b(?:list|name (?:the|all|every)|which (?:\w+ ){0,2}(?:companies|firms|players|products"
    r"|models|people|directors|startups|apps|features|platforms|executives|tools|brands)"
    r"|what (?:\w+ ){0,2}(?:companies|products|models|people|startups|apps|features)"
    r"|who are|all the)\b",
    re.IGNORECASE,
)
# (哪几个, 哪几家: "which ones", a list, not a count)
_ZH_NUMBER = re.compile(
    r"多少|(?<!哪)几[个家款年月天次倍成]?|多久|多长|多大|多高|多快|比例|百分之|占比|何时|哪一年|哪年"
)
_EN_NUMBER = re.compile(
    r"\b(?:how (?:many|much|long|big|large|fast|often|high|far)|by how|what (?:\w+ )?"
    r"(?:share|percentage|percent|price|cost|size|number|figure|amount|rate|growth|valuation"
    r"|revenue)|when|which year)\b",
    re.IGNORECASE,
)
# which firms or products: a sentence naming several answers it ("对字节、智谱清言、月之暗面各自的
# 大模型进行一番对比" for "参赛的是哪几家的模型")
_ZH_MAKERS = re.compile(r"哪(?:几|些)?家|哪(?:些|几个)(?:公司|企业|厂商|厂家|大厂|玩家|机构|"
                        r"平台|网站|产品|模型|大模型|创业公司)")
_EN_MAKERS = re.compile(r"\bwhich (?:\w+ ){0,2}(?:companies|firms|makers|players"
                        r"|vendors|labs|startups|organi[sz]ations|institutions|brands|sites"
                        r"|websites|platforms|products|models|chatbots)\b", re.IGNORECASE)
_ZH_PERSON = re.compile(r"谁|哪位|哪几位|什么人|何人|哪个人|哪些人|"
                        r"哪(?:些|几个)(?:大佬|高管|老板|创始人|专家|导演|嘉宾|人物|大咖)")
_EN_PERSON = re.compile(r"\b(?:who|whom|whose|which (?:\w+ ){0,2}(?:person|people|directors?|"
                        r"executives?|execs?|founders?|ceos?|bosses|leaders?|experts?|figures?|"
                        r"analysts?|insiders?|heads?))\b", re.IGNORECASE)
# 为何 asks why before what it asks about ("百度为何不做", and in a terse query "深度推理 为何
# C端 更有戏": a space between words); ending a clause it is written Chinese for 是什么
# ("名称为何": what the name is; "原因为何" asks a reason by its noun)
WHY_WEIHE = r"为何(?!\s*(?:[?？。!！,，;；]|$))"
# a pick by a superlative ("月活排第一的是哪款", "哪家…最多", "which … has the most users"): a
# standing, a superlative or a comparison answers it (最受欢迎, 显著优于)
# (not which statement fits best: "以下哪项最准确地概括了…", "which of these best explains")
_BEST_FITS = (r"(?!(?:准确|恰当|贴切|符合|能|好地|确切)地?"
              r"(?:概括|描述|说明|反映|解释|总结|表达|体现))")
PICK_Q = re.compile(rf"排(?:名|在)?第一|第一名|"
                    rf"哪[个家款位些一][^，,。？?]{{0,12}}(?:最(?!新|近|后|初|早|终){_BEST_FITS}|"
                    r"更(?:多|高|大|快|便宜|强|好|受欢迎))|"
                    r"最(?!新|近|后|初|早|终)[^，,。？?]{1,6}的是哪|"
                    r"谁[^，,。？?]{0,8}最(?!新|近|后|初|早|终)|"
                    r"\b(?:which|who|whose)\b[^?]{0,60}\b(?:the )?(?:most|highest|largest|biggest|"
                    r"best(?! (?:explains?|describes?|summari[sz]es?|captures?|reflects?|fits?|"
                    r"matches?|characteri[sz]es?|sums? up)\b)|fastest|cheapest|strongest)\b|"
                    r"\bon top\b|"
                    # who won a test or a comparison: the one it ranks above the others
                    r"\b(?:which|who|whose)\b[^?]{0,80}\b(?:winner|came (?:out )?(?:first|ahead)|"
                    r"won (?:the |this |that )?(?:test|comparison|contest|benchmark|head-to-head|"
                    r"shootout|evaluation))\b|"
                    # …or of the test named before it ("In the side-by-side test, who won?")
                    r"\b(?:who|which (?:one|model|chatbot|assistant|company|firm)) won"
                    r"(?=\s*[?.!,]|\s*$)|"
                    r"(?:谁|哪[个家款位一])[^，,。？?]{0,8}(?:胜出|获胜|夺冠|拔得头筹)",
                    re.I)
# a cause asked by its noun or a colloquial why: what drives it (动因, 动机, 起因, 根源), what
# brought it about (是什么导致的, 什么造成), the reasoning behind it (背后的逻辑), where it comes
# from (哪来的), why with a verb after 干嘛 ("干嘛啥都做"; not "在干嘛": doing what, nor "拿来
# 干嘛的", "干嘛用": what for) or "so" after 怎么 ("怎么这么贵")
WHY_ASKED = (r"动因|动机|起因|根源|根子上|何故|因何|什么(?:导致|造成)|"
             r"导致[^，,。？?]{0,12}的是什么|"
             r"背后的?(?:逻辑|考量|考虑|动力|推手)|出于什么|(?<![来是])干嘛(?![的用])(?=[\u4e00-\u9fff])|"
             r"怎么(?:这么|那么)|哪来的|从何而来|怎么来的|"
             # what it is put down to ("文章归因于什么", "归咎于何")
             r"归(?:因|咎|结)(?:于|为)?(?:什么|啥|何)|"
             # what is behind it, what forced it, on what grounds ("背后是啥", "什么处境逼的",
             # "凭啥")
             r"背后(?:是|有)?(?:什么|啥)|(?:什么|啥)[^，,。？?]{0,8}逼(?:的|出来的)|凭啥")
WHY_ASKED_EN = (r"what(?:'s| is| are)? driv(?:es|ing)|rationale|logic behind|motivat(?:es|ed|ion)|"
                r"(?:root|underlying|main|real|chief|primary) causes?|causes? (?:of|behind)|"
                r"what causes|what explains|thinking behind|"
                # what it is put down to ("what does the author attribute it to")
                r"attribut(?:e|es|ed|ing)\b[^?]{1,80}\bto(?=\s*[?.]?\s*$)|"
                r"attributed to what|put (?:it|this|that) down to|"
                # what pushes it, what is really behind it, what makes it harder, the argument
                r"what\b(?:\s+\w+){0,3}\s+(?:is|are|was|were)\s+(?:driving|pushing|forcing)|"
                r"what(?:'s| is| are)? (?:push(?:es|ing)|forc(?:es|ing))|"
                r"what(?:'s| is| was) (?:really |actually )behind|"
                r"what makes\b[^?]{1,60}\b(?:harder|tougher|easier|better|worse|more|less|so)\b|"
                r"(?:author|writer|article|piece|report)(?:'s|s') (?:reasoning|argument|case)|"
                r"the (?:argument|case) (?:that|for)|on what grounds")
_ZH_REASON = re.compile(rf"为什么|{WHY_WEIHE}|原因|理由|缘由|怎么会|缘何|凭什么|何以|为啥|"
                        rf"{WHY_ASKED}")
_EN_REASON = re.compile(rf"\b(?:why|reasons?|what caused|how come|what(?:'s| is) behind"
                        rf"|because|{WHY_ASKED_EN})\b", re.IGNORECASE)

# The frame: words that refer to the documents or to saying/comparing, longest first.
_ZH_FRAME = re.compile(
    r"这两篇文章|两篇文章|这两篇报道|两篇报道|这两篇|两篇|两文|这篇文章|该文|文章中|文章里|文章|文中"
    r"|报道中|报道|文档中|文档|资料中|资料|作者|笔者|提到了|提到|提及|谈到|说到|讲到|怎么说|怎么看|如何看待"
    # colloquial "talking of" (一聊到, 聊起): not 聊天 (chat) nor 聊胜于无
    r"|一聊到|聊到|聊起|(?<!无)聊(?![天胜])"
    r"|如何评价|看法|观点|分别|各自|比较一下|比较|对比一下|对比|异同|有何不同|有什么不同|不同之处"
    # asking what differs or is shared, or whether they agree (not 差异化, 一致性: topics)
    r"|有(?:啥|什么|何)?(?:区别|差别)|区别|差别|差异(?!化)|共同点|相同点|是否一致|一致吗"
    r"|一样吗|是否一样|相同吗|是否相同"
    r"|每篇|各篇|两位作者|第[一二12]篇|前一篇|后一篇|另一篇|上一篇|下一篇"
    # "on what grounds": an interrogative jieba cuts into 凭|什么, leaving 凭 as a word
    r"|凭什么|凭啥"
    # a memo's instructions ("请简述", "试分析…", "请列明"): what to do with the answer
    # (请 and 试 opening a clause: not 邀请, 尝试)
    r"|(?<![\u3400-\u9fff])(?:请?(?:简要)?(?:简述|概述|阐述)|[请试](?:分析|说明|指出|列明|列出|比较"
    r"|对比)|请(?=[\u3400-\u9fff]))"
)
_EN_FRAME = re.compile(
    r"\b(?:(?:the|these|both|two|each(?: of the)?|first|second|other|1st|2nd) )*"
    r"(?:articles?|pieces?|reports?|documents?|commentar(?:y|ies)|columns?|op-eds?"
    r"|year-end reviews?|authors?|writers?)(?:'s?)?\b|\baccording to\b|\bmention(?:s|ed)?\b"
    r"|\b(?:say|says|said|reported)\b"
    r"|\bdescribe[sd]?\b|\bdiscuss(?:es|ed)?\b|\bcompared?\b|\bcomparing\b|\bcomparison\b"
    r"|\brespectively\b|\beither\b"
    r"|\bdiffer(?:s|ence|ences)?\b|\bviews?\b|\btakes? on\b|\bin common\b"
    r"|\bagree(?:s|d)?\b|\bcontrast\b|\bsimilarit(?:y|ies)\b",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class QuestionShape:
    kind: Kind
    expects: Expects
    query: str
    both_articles: bool  # it names two articles ("两篇", "both articles", "each article")
    of_articles: bool = False  # it asks what an article or its author says ("作者认为…")
    picks: bool = False  # which one is best or most ("哪家答得最好": a standing answers it)

    @property
    def per_article(self) -> bool:
        return self.kind == "comparison"


# the words that give a question its shape (a comparison of the articles): a typo of one
# ("each articel", "comparsion") would make a comparison an ordinary question
_FRAME_WORDS = ("article", "articles", "compare", "compared", "comparison", "different",
                "difference", "differences", "pieces")


# the shorthand of business English in chat, written out ("CN LLM mkt size", "AI vids"): the
# dictionary and the question's analysis know the words, not the clippings
_SHORTHAND = {"mkt": "market", "mkts": "markets", "vid": "video", "vids": "videos",
              "img": "image", "imgs": "images", "pic": "picture", "pics": "pictures",
              "yr": "year", "yrs": "years", "rev": "revenue", "govt": "government",
              "mgmt": "management", "biz": "business", "approx": "approximately",
              "w/": "with", "w/o": "without", "b/c": "because", "bn": "billion",
              "mn": "million"}
_SHORT_WORD = re.compile(r"(?<![\w/])(?:w/o|w/|b/c|[A-Za-z]{2,6})(?![\w/])")
_COUNTRY_CODES = {"CN": "China", "PRC": "China"}


# a quiz item checked with the assistant (a course's true/false, fill-in and multiple-choice
# questions): its frame before a colon, its blank, its lettered options
_TRUE_FALSE = re.compile(r"^\s*(?:判断(?:正误|对错|真假)|判断题|是非题|对还是错|"
                         r"true or false|true/false|t/f|right or wrong|correct or incorrect)"
                         r"\s*[:：—–-]\s*", re.I)
_QUIZ_FRAME = re.compile(r"^\s*(?:填空(?:题)?|单选题?|多选题?|选择题|quiz(?: item| question)?|"
                         r"fill in the blanks?|multiple choice)\s*[:：—–-]\s*", re.I)
_BLANK = re.compile(r"_{2,}|＿{2,}|[(（]\s*[)）]")
# what follows a blank that makes it a number ("____元", "___ minutes")
_COUNTED_AFTER = re.compile(r"\s*(?:[个位家款部集次元年月天秒分万亿%％倍]|分钟|小时|美元|"
                            r"(?:minutes?|seconds?|hours?|days?|yuan|dollars?|percent|%|"
                            r"episodes?|videos?|images?|times|users?|million|billion)\b)", re.I)
_PERSON_BEFORE = re.compile(r"(?:\b(?:ceo|founder|chairman|president|director|scientist|"
                            r"head|by)|首席执行官|创始人|董事长|总裁|导演|负责人)\s*$", re.I)
# a stem asking which option fits: "Which of these best explains …", "以下哪项最准确地概括了…"
_WHICH_OPTION = re.compile(
    r"^\s*(?:which|what) (?:one )?of (?:these|the following|the options|the statements)"
    r"(?: statements?| options?| answers?| claims?)?\s+(?:(?:best|most accurately|correctly) )?"
    r"(?:explains?|describes?|summari[sz]es?|captures?|reflects?|is (?:true|correct)(?: about)?|"
    r"are (?:true|correct)(?: about)?)\s*[:：]?\s*|"
    r"^\s*(?:以下|下列|下面)?(?:哪一?[项个种条句]|哪些)(?:说法|表述|选项|描述)?(?:最|是)?"
    r"(?:准确|恰当|正确|贴切)?地?(?:概括|描述|说明|解释|反映|总结)了?", re.I)
# lettered options: "A. 叶锦添  B. 李少红", "(a) … (b) …"
_OPTION = re.compile(r"(?:^|(?<=[\s?？:：。.]))(?:\(([A-Da-d])\)|([A-D])[.．、)])\s*")


# whether the article gives a value ("文中是否给出了…的具体金额?", "文章有没有提到…的确切日期?",
# "Does the article give the exact date…"): the value itself is what is asked
_GIVES_VERB = (r"(?:给出|提到|提及|披露|说明|透露|写明|交代|列出|公布|记载|记录|说)(?:了|过|到)?")
_GIVES_NOUN = (r"(?P<noun>(?:具体|确切|准确|详细)?的?(?:金额|数额|数字|数值|价格|定价|售价|估值|"
               r"收入|营收|费用|成本|规模|人数|数量|时间|时点|日期|月份|年份|名称|名字|型号))")
_GIVES_ZH = re.compile(rf"^(?P<lead>.*?)(?:文中|文章|这篇文章|该文|两篇文章|报道|原文)?\s*"
                       rf"(?:是否|有没有|有无|可曾){_GIVES_VERB}(?P<x>[^？?。]+?){_GIVES_NOUN}\s*"
                       r"(?P<end>[？?。，,]|$)")
# …with the value named first ("可灵1.6版的发布日期,文中有无具体记载?")
_GIVES_ZH_AFTER = re.compile(rf"^(?P<x>[^，,。？?]+?){_GIVES_NOUN}\s*[，,]?\s*"
                             r"(?:文中|文章|原文|报道|两篇文章|这篇文章|该文)(?:里|中)?"
                             rf"(?:是否|有没有|有无|可曾)(?:具体|明确|确切|详细)?{_GIVES_VERB}"
                             r"吗?\s*[？?。]?\s*$")
_GIVES_ASK = {"时间": "是什么时候", "时点": "是什么时候", "日期": "是哪一天", "月份": "是几月",
              "年份": "是哪一年", "名称": "是什么", "名字": "是什么", "型号": "是什么"}
_GIVES_EN = re.compile(r"^(?:does|did|do) (?:the |either |each |this |that |both )?(?:articles?|"
                       r"pieces?|reports?|text|story|stories|source) (?:give|gives|mention|state|"
                       r"say|provide|report|disclose|name|list) (?:the |an? |any )?"
                       r"(?=(?:exact|specific|precise|actual) )", re.I)


# which of a counted few ("哪两款模型", "哪两大短板", "which two models"): the text that names
# them counts them too ("推出了两款最新的视频模型PixelDance1和Seaweed2", "两个难以掩盖的短板")
_COUNT_MEASURES = r"(?:个|款|家|位|种|项|条|部|大|样|点|名)"
_WHICH_N = re.compile(rf"哪([两二三四五六七八九十]){_COUNT_MEASURES}([\u4e00-\u9fff]{{0,4}})|"
                      r"\b(?:which|what) (two|three|four|five|six)\b(?! (?:of|or)\b)", re.I)
_NUMERALS = {"两": "两二", "二": "两二", "two": "两二", "three": "三", "four": "四",
             "five": "五", "six": "六"}
_COUNTED_REACH = 10  # characters from the count to the noun it counts ("两款最新的视频模型")


@dataclass(frozen=True)
class CountedFew:
    """A question asking which of a counted few: the count as a text writes it (两款, 两个,
    两大…; for "which two" the same or "two") and the noun counted ("" when not said)."""
    count: re.Pattern[str]
    noun: str


def counted_few(question: str) -> CountedFew | None:
    """What a question asking which of a counted few counts ("哪两个模型"), else None."""
    found = _WHICH_N.search(question)
    if found is None:
        return None
    word = (found.group(1) or found.group(3)).lower()
    latin = rf"|\b{word}\b" if found.group(3) else ""
    count = re.compile(rf"(?<![一二三四五六七八九十两\d])[{_NUMERALS.get(word, word)}]"
                       rf"{_COUNT_MEASURES}{latin}", re.I)
    nouns = [w for w in tokenize(found.group(2) or "") if len(w) > 1]
    return CountedFew(count, nouns[0] if nouns else "")


def items_counted(few: CountedFew, sentences: Iterable[str]) -> list[str]:
    """The sentences that count the few as the question does; of those, the ones with the
    question's noun right after the count where any has it ("哪两个模型": "两款最新的视频模型",
    not "两个难以掩盖的短板")."""
    counting = [s for s in sentences if few.count.search(s)]
    naming = [s for s in counting if few.noun and any(
        few.noun in s[m.end():m.end() + _COUNTED_REACH] for m in few.count.finditer(s))]
    return naming or counting


def gives_asked(question: str) -> str:
    """A question whether the articles give a value, as the question for the value: "文中是否
    给出了豆包的具体价格?" → "豆包的具体价格是多少?", "Does the article give the exact date
    Hunyuan went live?" → "the exact date Hunyuan went live?"; other questions unchanged."""
    after = _GIVES_ZH_AFTER.match(question)
    if after is not None:
        return f"{after.group('x')}{after.group('noun')}{_value_asked(after.group('noun'))}?"
    found = _GIVES_ZH.match(question)
    if found is not None:
        noun = found.group("noun")
        ask = _value_asked(noun)
        rest = question[found.end():]
        end = found.group("end") if found.group("end") in ",，" else "?"
        return f"{found.group('lead')}{found.group('x')}{noun}{ask}{end}{rest}"
    return _GIVES_EN.sub("", question, count=1)


def _value_asked(noun: str) -> str:
    """How a value named by ``noun`` is asked for ("日期" → 是哪一天, "金额" → 是多少)."""
    return next((ask for ending, ask in _GIVES_ASK.items() if noun.endswith(ending)), "是多少")


def quiz_asked(question: str) -> str:
    """A quiz item as the question it asks: a true/false statement as a claim to check
    ("判断正误:X" → "X,对吗?"), a blank as what fills it (多少/什么/谁, how many/what/who), the
    stem of a multiple-choice item without its options (the options name what the passages
    need not all hold)."""
    options = list(_OPTION.finditer(question))
    letters = [(m.group(1) or m.group(2)).upper() for m in options]
    if "A" in letters and "B" in letters[letters.index("A") + 1:]:
        question = question[:options[letters.index("A")].start()].rstrip()
        # "which of these best explains why X": why X (the options are gone)
        question = _WHICH_OPTION.sub("", question, count=1) or question
    english = not has_cjk(_BLANK.sub("", question))

    def filled(match: re.Match[str]) -> str:
        after = question[match.end():]
        if _COUNTED_AFTER.match(after):
            return " how many " if english else "多少"
        if _PERSON_BEFORE.search(question[:match.start()]):
            return " who " if english else "谁"
        return " what " if english else "什么"

    question = re.sub(r"\s+([.。?？,，])", r"\1", re.sub(r"\s{2,}", " ", _BLANK.sub(
        filled, question))).strip()
    framed = _TRUE_FALSE.match(question)
    if framed is not None:
        claim = question[framed.end():].strip().rstrip("。.!！")
        return f"{claim}, is that right?" if not has_cjk(claim) else f"{claim},对吗?"
    return _QUIZ_FRAME.sub("", question)


def _english_word(word: str) -> bool:
    """Whether a (lower-cased) Latin word, in any of its forms, is an English word of
    CC-CEDICT's glosses."""
    return any(cedict_index().get(form) for form in lemmas(word))


def respelled(question: str) -> str:
    """The question with a misspelt frame word (``_FRAME_WORDS``) written right: one letter
    added, dropped, changed or two swapped, in a word that is no English word itself (in
    CC-CEDICT's glosses); and chat shorthand written out (``_SHORTHAND``: "mkt size")."""
    def fixed(match: re.Match[str]) -> str:
        word = match.group(0)
        low = word.lower()
        if low in _FRAME_WORDS or _english_word(low):
            return word
        return next((frame for frame in _FRAME_WORDS if _one_edit(low, frame)), word)

    def written_out(match: re.Match[str]) -> str:
        word = match.group(0)
        return _COUNTRY_CODES.get(word) or _SHORTHAND.get(word.lower(), word)

    question = _SHORT_WORD.sub(written_out, question)
    return re.sub(r"(?<![\w-])[A-Za-z]{6,}(?![\w-])", fixed, question)


def respelled_names(corpus: Corpus, question: str) -> str:
    """The question with a misspelt Latin name of the lexicon written as the lexicon writes
    it ("PixelDancer" → PixelDance, "Yang Zhiling" → Yang Zhilin): one or two words one edit
    (``_one_edit``) from exactly one name of five letters or more, that no document uses as
    a word and no English word is."""
    names: dict[str, str] = {}
    for entry in corpus.entities.lexicon.entries.values():
        for form in entry.surfaces:
            if form.isascii() and len(form.replace(" ", "")) >= 5:
                names.setdefault(form.lower(), form)
    if not names:
        return question
    bm25 = corpus.bm25

    def known(span: str) -> bool:
        low = span.lower()
        return low in names or all(
            bm25.document_frequency(w) or _english_word(w)
            for w in low.split())

    words = list(re.finditer(r"[A-Za-z][A-Za-z0-9'’-]*", question))
    out, cursor, at = [], 0, 0
    while at < len(words):
        for n in (2, 1):
            span = words[at:at + n]
            if len(span) < n or question[span[0].start():span[-1].end()].count(" ") != n - 1:
                continue
            text = question[span[0].start():span[-1].end()]
            # a plural of the name ("Seaweeds"), or one edit from it
            near = [form for low, form in names.items()
                    if low in lemmas(text.lower())[1:] and n == 1]
            if not near and (len(text) < 5 or known(text)):
                continue
            near = near or [form for low, form in names.items()
                            if _one_edit(text.lower(), low)]
            if len(near) == 1:
                out += [question[cursor:span[0].start()], near[0]]
                cursor = span[-1].end()
                at += n
                break
        else:
            at += 1
    return "".join(out) + question[cursor:]


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one insertion, deletion, substitution or swap of two
    neighbouring letters."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    at = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[at:] == long[at + 1:]


def analyze(question: str) -> QuestionShape:
    """The shape of a (stand-alone) question."""
    of_article = bool(_ARTICLE_REF.search(question))
    listed = bool(_ZH_LIST.search(question) or _EN_LIST.search(question))
    asks_which = listed or bool(re.search(r"\bwhich\b", question, re.I))
    if asks_which and _WERE_COMPARED.search(question) and not _BOTH.search(question):
        kind: Kind = "list"  # "which chatbots were compared in the test": who took part
    elif _ZH_COMPARISON.search(unchecked := _AGAINST_ARTICLE.sub(" ", question)) or \
            _compares(unchecked) or _EN_COMPARISON.search(unchecked) or (
            of_article and _WITH_ARTICLES.search(question)
            and not _RESPECTIVELY_ITEMS.search(question)):
        # (分别 alone is "respectively" over the question's own items: "2023年和2024年分别
        # 有多大" asks two figures, not each article's view; and "how does X compare with
        # Y" compares two things unless the question speaks of the articles)
        kind = "comparison"
    elif listed:
        kind = "list"
    else:
        kind = "single"
    expects: Expects = "any"
    if _ZH_REASON.search(question) or _EN_REASON.search(spaced_scripts(question)):
        expects = "reason"
    elif _ZH_PERSON.search(question) or _EN_PERSON.search(question):
        expects = "person"
    elif _ZH_NUMBER.search(question) or _EN_NUMBER.search(question):
        expects = "number"
    elif _ZH_MAKERS.search(question) or _EN_MAKERS.search(question):
        expects = "makers"
    both = bool(_BOTH.search(question))
    return QuestionShape(kind, expects, strip_frame(question), both, both or of_article,
                         bool(PICK_Q.search(question)))


# a claim held up against the article ("这个数字和文章一致吗", "does that match the piece?"): a
# check of one figure or statement, not a comparison of the articles
_AGAINST_ARTICLE = re.compile(
    r"(?:和|跟|与|同)(?:这篇|那篇)?(?:文章|原文|文中|报道|稿子)(?:里|中|上)?(?:的|所说的|说的)?"
    r"(?:说法|数据|数字)?(?:是否)?(?:一致|相符|吻合|符合|对得上|一样)|"
    r"\b(?:match|square with|agree with|consistent with|line up with) (?:what )?(?:the|this|"
    r"that) (?:article|piece|report|story)(?: says)?\b", re.I)


# a part of an article asked for: its title or gist (its first passage holds the title, the
# summary and the lead) or how it ends (its last passage: the conclusion)
# (a Latin word is bounded by what is not a letter: "的closing takeaway分别" is code-switched)
_LEAD_Q = re.compile(r"标题|摘要|导语|开头|开篇|主旨|中心思想|主要讲|概括|"
                     # (the articles' titles, not the titles of works they mention)
                     r"(?<![a-z])(?:titles? of (?:the|each|both|these|those)(?: two)? "
                     r"(?:articles?|pieces?|stories|reports?)|(?:article|piece|story|report)"
                     r"(?:'s|’s|s'|s’)? titles?|headlines?(?! (?:figures?|numbers?|rates?|growth|"
                     r"results?|stats?|inflation))|lede|"
                     r"opening (?:paragraph|lines?|section|sentences?)|"
                     r"summary|summari[sz]e|gist|"
                     r"main (?:point|idea|argument|message|thesis))(?![a-z])", re.IGNORECASE)
# the argument an article makes as a whole, when nothing else is asked ("两篇文章分别讲了什么?",
# "each piece's core argument"; not "两边的核心观点" on what someone said, "关于字节…两篇各讲了
# 些什么": a topic)
_GIST_Q = re.compile(r"(?:核心|主要|中心)(?:观点|论点|主张|内容)|大意|"
                     r"(?:讲|说|写)(?:了|的是)?(?:些)?(?:什么|啥)(?:内容|东西)?(?=\s*[?？。]?\s*$)|"
                     r"(?<![a-z])(?:sums? up|tl;?dr|in a nutshell|(?:main|key|central|core) "
                     r"(?:points?|ideas?|arguments?|messages?|thesis|claims?))(?![a-z])",
                     re.IGNORECASE)
_END_Q = re.compile(r"结尾|结论|收尾|结语|末尾|最后(?:一段|说|讲|提到|总结|落脚|得出)|落脚点|"
                    # (what it concludes, not why it concludes something: an inference)
                    r"(?<![a-z])(?:conclusions?|conclude[sd]?(?=\s*[?？])|closing|takeaways?|"
                    r"ends? (?:on|with|by)|final (?:points?|words?|paragraph|thoughts?|lines?)|"
                    r"wrap(?:s|ped)? up|bottom line)(?![a-z])|"
                    r"\bhow (?:does|do|did) [^?]{1,40}\bend\b", re.IGNORECASE)


# how the part is to be put ("一句话", "简单", "briefly", "in one sentence"): no topic
_PUT = re.compile(r"[一两几]句话?|简单|简要|简短|扼要|一下|各用|各自|各|最后|"
                  r"\b(?:(?:give|tell|show) me|briefly|quickly|"
                  r"in (?:one|a|two|a few|\d+) (?:sentences?|lines?|words?)|"
                  r"short(?:ly)?|each|both|two|one)\b", re.IGNORECASE)


def part_only(question: str) -> bool:
    """Whether a question asking for a part of the articles (``article_part``) asks for
    nothing else: "两篇文章各自怎么收尾?", "what is each piece's main argument?", not "两篇
    文章关于视频生成的结论" (what it concludes on a topic)."""
    rest = _PUT.sub(" ", _END_Q.sub(" ", _LEAD_Q.sub(" ", _GIST_Q.sub(" ", question))))
    return not tokenize(_unframed(rest))


def article_part(question: str) -> str:
    """"end" when a question about the articles asks how one ends (its conclusion, its
    closing takeaway), "lead" when it asks an article's title or gist, else ""."""
    if not _ARTICLE_REF.search(question) and not _BOTH.search(question):
        return ""
    if _END_Q.search(question):
        return "end"
    if _LEAD_Q.search(question) or _GIST_Q.search(question) and part_only(question):
        return "lead"
    return ""


# the articles named together: two of them, each of them, the other one
_BOTH = re.compile(rf"{_SET_APART_ZH}|{_SET_APART_EN}|"
                   r"两篇|两文|两份|两者|每篇|各篇|两位作者|另一篇|(?:each|one) (?:of the )?"
                   r"(?:article|piece|report|document|source|author|writer|story|account"
                   r"|outlet)|the other (?:article|piece|report|document|source|author"
                   r"|writer|story|account|outlet)|both|the two", re.IGNORECASE)
# what took part in a comparison the article made ("which chatbots were compared", "哪几家被拿来
# 对比"): a list of them, not a request to compare the articles
_WERE_COMPARED = re.compile(r"\b(?:were|was|got|get|been|being|are|is) (?:\w+ )?compared\b|"
                            r"被[^，,。？?]{0,8}(?:比较|对比)|(?:比较|对比)了|拿来(?:比较|对比)|"
                            r"参与(?:比较|对比)|参加(?:比较|对比)", re.I)
# words that ask for a comparison only of the articles: 分别 ("respectively"), "compare with"
_WITH_ARTICLES = re.compile(r"分别|\bcompared? (?:with|to)\b|"
                            # (one thing "vs" another: two figures or names, not the articles)
                            r"\b(?:versus|vs)\b", re.I)

def _compares(question: str) -> bool:
    """Whether 比较 asks to compare ("比较两篇文章", "比较一下"), not "rather" (比较贵, 比较粗糙,
    比较看好: an adjective, a verb or an adverb follows it)."""
    if "比较" not in question:
        return False
    words = [(pair.word, pair.flag) for pair in _tagged(question)]
    return any(word == "比较" and not (after < len(words) and words[after][1][:1] in "avd")
               for after, (word, _) in enumerate(words, start=1))


# 分别 after items the question counts ("两大短板分别是什么", "两款新产品,其名称分别为何"):
# "respectively" over those items, told in one article; counted articles (两篇) are
# _ZH_COMPARISON's
_RESPECTIVELY_ITEMS = re.compile(r"(?:[两二三四五六七八九十几]|哪[两二三四五六几]?)"
                                 r"(?:大|个|项|点|条|种|类|家|位|款|块|件|方面)"
                                 r"(?!篇|文|作者|笔者|报道|稿|媒体|记者)"
                                 r"[^。？?！!；;]{0,10}?分别"
                                 # …or after the items themselves ("2023年和2024年分别是多少")
                                 r"|(?:19|20)\d\d年?(?:和|与|跟|及|、)(?:19|20)\d\d年?"
                                 r"[^。？?！!；;]{0,8}分别")

# a question about what an article (a published piece) or its author says
_ARTICLE_REF = re.compile(
    r"文章|文中|这篇|该文|本文|原文|稿子|稿件|作者|笔者|报道|记者|第[一二12]篇|前一篇|后一篇|"
    r"\b(?:the|this|that|an?|one) (?:(?:first|second|1st|2nd) )?(?:article|piece|story|report|"
    r"commentary|column|op-ed|year-end review|author|writer|journalist"
    r"|reporter)s?\b|\baccording to the (?:article|piece|story|report|author|writer|summary)\b",
    re.IGNORECASE)


# an outlet named as the source of what is asked ("根据北京商报那篇报道", "Beijing Business
# Today's piece", "according to 科技新知"): it says which article, not what the answer is about
_AS_SOURCE = (r"(?:根据|据|按照?|依照|照|从|在|according to|in|from|by|per)\s*(?:the\s+)?"
              r"[《“\"]?{name}"
              r"|{name}[》”\"]?\s*(?:的|'s|’s)?\s*(?:那篇|这篇|一篇|一文|报道|文章|稿|年终|记者|说法|文|"
              r"测评|评测|里|中|写|说|提到|称|认为|指出|"
              r"作者|笔者|piece|article|report|story|review|column|reporter|journalist|writer|"
              r"author)")


def cited_as_source(question: str, name: str) -> bool:
    """Whether ``question`` names ``name`` (an outlet) as the source of what it asks."""
    pattern = _AS_SOURCE.format(name=re.escape(name))
    return re.search(pattern, question, re.IGNORECASE) is not None


# any other source of a figure, cited beside the question's subject ("Luma AI's visits in
# September according to SimilarWeb"): only right after a word saying so (not "in", "from",
# "by", which name subjects too; "per" opening a clause, not "per token")
_AS_DATA_SOURCE = (r"(?:\baccording to|(?:^|[,，;]|\bas)\s*per|\bciting|根据|据|按照)"
                   r"\s*(?:the\s+)?{name}")


def cited_as_data_source(question: str, name: str) -> bool:
    """Whether ``question`` names ``name`` as where a figure it asks comes from."""
    pattern = _AS_DATA_SOURCE.format(name=re.escape(name))
    return re.search(pattern, question, re.IGNORECASE) is not None


# a person called by their role at a firm the question names ("月之暗面的掌门人", "Moonshot's
# founder", "the founder of Baichuan"): the question's word for the role, and the roles the
# documents give people that it means ("月之暗面创始人杨植麟", "百度CEO李彦宏"); a boss is
# whoever heads the firm
_HEAD_ROLES = r"CEO|首席执行官|创始人|董事长|(?<!副)总裁|负责人|所长|院长"
_ROLES_CALLED = (
    (re.compile(r"创始人|创办人|\b(?:co-?)?founders?\b", re.I), r"创始人|founder"),
    (re.compile(r"首席执行官|(?<![a-z])ceos?(?![a-z])|\bchief executive\b", re.I),
     r"CEO|首席执行官"),
    (re.compile(r"董事长|\bchair(?:man|woman|person)?\b", re.I), r"董事长"),
    (re.compile(r"副总(?:裁|经理)?|\bvice[- ]president\b|\bvp\b", re.I), r"副总"),
    (re.compile(r"(?<!副)总裁|(?<!vice )(?<!vice-)\bpresident\b", re.I), r"(?<!副)总裁"),
    (re.compile(r"首席科学家|\bchief scientist\b", re.I), r"首席科学家"),
    (re.compile(r"负责人|主管", re.I), r"负责人|主管"),
    (re.compile(r"高管|\bexec(?:utive)?s?\b", re.I), r"."),  # any of the firm's officers
    (re.compile(r"老板|掌门人?|一把手|老总|掌舵人|话事人|头儿|\bboss(?:es)?\b|\bhead\b|"
                r"\bleader\b|\bchief\b(?! (?:scientist|technology|executive))", re.I),
     _HEAD_ROLES),
)
_ROLE_GAP = 8  # characters from the firm to its role ("腾讯|混元那位|负责人")
_GAP = re.compile(r"(?:(?!和|与|及|跟|\band\b|&)[^，,。；;：:、？?！!（）()“”\"\n])*", re.I)
# who it is or what they are called: the question asks for the person, not about them
_ASKS_NAME = re.compile(r"叫什么|叫啥|什么名字|名字|姓什么|姓名|\bnamed?\b|\bcalled\b", re.I)


def role_called(question: str, forms: Iterable[str]) -> list[tuple[int, int, str]]:
    """Where the question calls a person by their role at the firm written in one of
    ``forms`` ("月之暗面的掌门人", "the founder of Baichuan"): (start, end, the roles it means as
    a pattern over the documents' role words); none when it asks who that person is
    ("火山引擎的总裁叫啥")."""
    if _ZH_PERSON.search(question) or _EN_PERSON.search(question) or \
            _ASKS_NAME.search(question):
        return []
    found = []
    for form in forms:
        for match in re.finditer(re.escape(form), question, re.I):
            gap = _GAP.match(question, match.end())
            after = question[match.end():gap.end() if gap else match.end()]
            for words, held in _ROLES_CALLED:
                role = words.search(after)
                if role and role.start() <= _ROLE_GAP:
                    found.append((match.start(), match.end() + role.end(), held))
                elif before := re.search(rf"(?<![\w-])(?:{words.pattern})\s+of\s+(?:the\s+)?$",
                                         question[:match.start()], re.I):
                    found.append((before.start(), match.end(), held))
    return found

# an article named by what it is about: "according to the piece on ByteDance's AI strategy",
# "in the article about Kimi", "据讲字节战略的那篇文章"
_ARTICLE_ON = re.compile(r"\b(?:according to|in|from|per) (?:the|that|this) (?:piece|article|"
                         r"report|story|review|commentary) (?:on|about|covering) [^?,.;]+|"
                         r"(?:根据|按照|据|在)?(?:讲|谈|写|关于|聊)[^，,。？?]{1,20}的那篇(?:文章|报道|稿子)?"
                         r"(?:里|中|里面|的说法)?|"
                         r"(?:根据|按照|据|在)?[那这]篇(?:讲|谈|写|关于|聊|说)[^，,。？?]{1,20}?的"
                         r"(?:文章|报道|稿子)(?:里|中|里面|的说法)?", re.I)


def without_article_topic(question: str) -> str:
    """The question without the words that name an article by what it is about ("according to
    the piece on ByteDance's AI strategy"): like an outlet cited as the source
    (``cited_as_source``), they name no subject of what is asked."""
    return _ARTICLE_ON.sub(" ", question)


# Interrogative phrases about circumstances ("在什么语境下", "in what context") or a name
# ("叫什么名字", "叫啥名"): the question asks *where* something is said or what it is called;
# the words name no topic.
_CIRCUMSTANCE = re.compile(
    r"在(?:什么|哪种|何种)(?:样的)?(?:语境|情况|背景|场合|条件|情境)下"
    r"|叫(?:做)?(?:什么|啥)(?:名字?)?|(?:的)?(?:名字|名称)(?:是|叫)(?:什么|啥)|(?:什么|啥)名字?"
    # what the asker says of their own memory ("我老记不住", "我忘了"): no topic either
    r"|我?(?:老是?|总是?|一直|有点|也|都)?(?:记不住|记不清楚?|想不起来?|忘(?:记)?了)"
    r"|\bin (?:what|which) (?:context|circumstances|situation|setting)s?\b"
    # English adverbial idioms that stress the question and name nothing ("why … in the first
    # place": not first, not place)
    r"|\b(?:in the first place|to begin with|at the end of the day|after all|at all(?! costs?)|"
    r"in any case|all of a sudden|in a nutshell)\b",
    re.IGNORECASE,
)


# the measure word of a count asked ("多少条视频", "多少张图", "几家"): a function word, which
# jieba glues onto the noun (张图) so that the noun itself (图 ~ 图片) is never searched
_ASKED_MEASURE = re.compile(r"(多少|几)[条张个款位家部篇项种次台件本只段]")


def _unframed(text: str) -> str:
    """``text`` without the words that refer to the documents, to saying or comparing, or to
    the circumstances of what is asked."""
    return _EN_FRAME.sub(" ", _ZH_FRAME.sub(" ", _CIRCUMSTANCE.sub(" ", text)))


def strip_frame(question: str) -> str:
    """The question without the words that only frame it; unchanged if nothing else is left."""
    stripped = _ASKED_MEASURE.sub(r"\1 ", _unframed(question))
    stripped = _SPACES.sub(" ", stripped).strip()
    return stripped if tokenize(stripped) else question


_ZH_NAME_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt"})  # persons, places, organisations
_NAME_WORD = r"(?:[A-Z][a-z]+(?:[A-Z][A-Za-z0-9]*)?(?:-[A-Za-z]+)?|[A-Z][A-Z0-9\-.]*[A-Z0-9])"
# a year written short, the way people say it ("23年国内大模型市场", "市场23年和24年"): 2023年.
# Not a span of years: a round number (10年、20年), one after a word that measures time
# (过去5年, 用了15年, 近30年), or one before 来/前/后/内/间/里/多/代 (30年来, 90年代)
_SHORT_YEAR = re.compile(r"(?<![\d.A-Za-z近过这几了用花等要需达超满每第多数约前后])"
                         r"(1[5-9]|2[1-9]|3[1-5])年(?![代前后来里内间度级多左以])")


# an English year clipped with an apostrophe ("'23 vs '24", "in ’24")
_CLIPPED_YEAR = re.compile(r"(?<![\w'’])['’](1[5-9]|2\d|3[0-5])(?![\w'’])")


# a year read out digit by digit ("二零二四年", "二〇二五年"), as speech-to-text writes it
_SPOKEN_YEAR_ZH = re.compile(r"[零〇一二三四五六七八九]{4}(?=年)")
_ZH_DIGITS = {ch: str(n) for n, ch in enumerate("零一二三四五六七八九")} | {"〇": "0"}
# a year said in English words: "twenty twenty-four", "two thousand (and) twenty five"
_EN_ONES = "one two three four five six seven eight nine".split()
_EN_UNITS = "|".join(_EN_ONES)
_SPOKEN_YEAR_EN = re.compile(
    rf"\b(?:twenty[\s-]+|two thousand(?:[\s-]+and)?[\s-]+)(?P<tens>twenty|thirty|ten|eleven|"
    rf"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
    rf"(?:[\s-]+(?P<unit>{_EN_UNITS}))?\b", re.I)
_EN_TENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
            "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
            "twenty": 20, "thirty": 30}


def _spoken_year(match: re.Match[str]) -> str:
    tens = _EN_TENS[match.group("tens").lower()]
    unit = match.group("unit")
    if unit and tens < 20:
        return match.group(0)  # "twenty fifteen five": no year
    return str(2000 + tens + (_EN_ONES.index(unit.lower()) + 1 if unit else 0))


def full_years(question: str) -> str:
    """The question with its short or spoken years written out (23年 → 2023年, '24 → 2024,
    二零二四年 → 2024年, "twenty twenty-four" → 2024), as the documents write them: searched,
    read for a period and checked against the passages the same way."""
    question = _SPOKEN_YEAR_ZH.sub(lambda m: "".join(_ZH_DIGITS[ch] for ch in m.group(0)),
                                   question)
    question = _SPOKEN_YEAR_EN.sub(_spoken_year, question)
    return _CLIPPED_YEAR.sub(r"20\1", _SHORT_YEAR.sub(r"20\1年", question))


_LATIN_NAME = re.compile(rf"(?<![\w-]){_NAME_WORD}(?:\s+{_NAME_WORD})*(?![\w-])")
_NOT_NAMES = frozenset(
    "ai ok ceo cto app apps hd tv pc api january february march april may june july august "
    "september october november december monday tuesday wednesday thursday friday saturday "
    "sunday".split()
)


_MODALS = frozenset("会 能 可 要 将 可以 能够 可能 应该 应当 得以 也会 都会 还会".split())


def names_in(question: str, chinese: bool = True) -> list[str]:
    """Proper names in a question: jieba's person, place and organisation tags for Chinese
    (skipped when ``chinese`` is false); runs of capitalised words that do not start a
    sentence ("Li Shaohong", "Tencent Hunyuan"), and all-capital names (MMLU, H100) for Latin
    script."""
    found = []
    if chinese and has_cjk(question):
        # jieba's tagger, with the domain lexicon's names as words (it takes half a second to
        # load: only when needed)
        tagged = [(pair.word, pair.flag) for pair in _tagged(question)]
        # (a "place" right after an adverb or a modal verb is a verb jieba does not know:
        # "将|惠及", "会|惠及"; one opening with a localizer right after a common noun is
        # the noun's localizer glued onto the verb after it: "技术|上卡|在哪", "产品|上卡顿")
        found = [w for at, (w, tag) in enumerate(tagged)
                 if tag in _ZH_NAME_TAGS and len(w) > 1 and not w.isascii()
                 and not (tag == "ns" and at and (tagged[at - 1][1] == "d"
                                                  or tagged[at - 1][0] in _MODALS
                                                  or tagged[at - 1][1] == "n"
                                                  and w[0] in _NOUN_LOCALIZERS))]
    for sentence in re.split(r"(?<=[.?!。？！])\s*", question):
        for match in _LATIN_NAME.finditer(sentence):
            words = match.group(0).split()
            opens = not sentence[: match.start()].strip(" \"'“‘(")
            if opens and not words[0].isupper():
                words = words[1:]  # the sentence's first word is capitalised anyway
            words = [w for w in words if w.lower() not in _NOT_NAMES]  # "AI", "September"
            # "How", "So", "The" opening a sentence, or alone; inside a sentence, a capitalised
            # word before another is part of the name ("What's He Baohong's advice": He is the
            # surname 何)
            while words and words[0].lower() in EN_STOPWORDS and (opens or len(words) == 1):
                words = words[1:]
            name = " ".join(words)
            if name:
                found.append(name)
    return found


def unknown_names(corpus: Corpus, question: str) -> list[str]:
    """The question's names that no document mentions in any spelling the English bridge
    knows (as written, glossary, pinyin): a question about them cannot be answered here."""
    corpus.sync()
    bm25 = corpus.bm25
    # a Chinese name the documents never mention holds a word they never use: when they use
    # every word of the question, no Chinese name in it can be unknown (and the tagger is
    # not needed)
    unseen = any(has_cjk(t) and not bm25.document_frequency(t) for t in tokenize(question))
    unknown = []
    for name in names_in(question, chinese=unseen):
        if not name.isascii():
            if name in ZH_STOPWORDS:
                continue  # a function word jieba tags a name: 那波 ("that wave") is no Naples
            if cedict_common_word(name):
                continue  # jieba tags 段子 ("a comedy routine") a person: 段 is a surname
            parts = tokenize(name)
            if bm25.document_frequency(name.lower()) or (
                    parts and all(bm25.document_frequency(p) for p in parts)):
                continue
            if name[0] in _GLUED_PREPOSITIONS and len(name) > 2 and _known_word(
                    corpus, name[1:]):
                continue  # jieba glued a preposition onto a word: 比|文生(图)
            if len(name) == 2 and name[0] in "中里内" and name[1] in "那这哪该":
                continue  # a localizer glued onto the demonstrative after it: 印象中|那篇
            if name[0] in _LOCALIZERS and len(name) == 2 and re.search(
                    rf"[\u4e00-\u9fff]{re.escape(name)}", question):
                continue  # jieba read a noun's localizer and a verb as a place: 产品|里加了
            if name[0] in _MEASURE_WORDS and len(name) > 1 and re.search(
                    rf"[这那哪每一两几\d]{re.escape(name)}", question) and (
                    cedict_common_word(name[1:]) or _known_word(corpus, name[1:])):
                continue  # jieba glued a measure word onto its noun: 那|堵墙 ("that wall")
            if name[0] in _MEASURE_WORDS and name[1:] == "数":
                continue  # "the number of" a measure word counts (条数, 张数), no person 张数
            if _opens_a_name(corpus, name):
                continue  # a short form: 博纳 for 博纳影业
            if re.search(rf"[“\"'‘「]{re.escape(name)}[”\"'’」]", question) and any(
                    name in word and len(word) <= len(name) + 2 and has_cjk(word)
                    for word in bm25.vocab):
                continue  # a label quoted by part of the documents' word: “小虎” of 六小虎
            inside, rest = corpus.entities.named_in(name)
            if inside and len(rest.strip()) <= 1 and all(
                    any(bm25.document_frequency(form.lower())
                        for form in corpus.entities.forms(entity)) for entity in inside):
                continue  # jieba glued a character onto a name the documents use: 测评里|智谱
        else:
            glossed = re.search(re.escape(name) + r"[\"”’']?\s*[（(]\s*([^)）]+?)\s*[)）]",
                                question)
            if glossed and has_cjk(glossed.group(1)) and _known_word(corpus, glossed.group(1)):
                continue  # the question glosses it in Chinese: "The Courier" (快递员)
            bridge = corpus.bridge
            # the sentence's capitalised first word may be the name's first part: "Yang
            # Zhilin, why …" once "According to" is read as the question's frame
            before = re.search(rf"\b([A-Z][a-z]+)\s+{re.escape(name)}", question)
            whole = f"{before.group(1)} {name}" if before else name
            words = [w for w in latin_words(whole) if len(w) > 1]
            if bridge.pinyin_name(words) or corpus.entities.named_in(whole)[0]:
                continue  # "He Baohong" → 何宝宏; "Li Shaohong": a person the documents name
            words = [w for w in latin_words(name) if len(w) > 1]
            rendered = {w for concept in bridge.translate(whole).concepts for w in concept.split()}
            known = [w in rendered or bm25.document_frequency(w) > 0
                     or (len(w) >= 4 and bridge.starts_a_word(w)) for w in words]
            acronyms = [w for w in name.split() if w.isupper() and len(w) > 2]
            if any(known) and all(known[words.index(a.lower())] for a in acronyms
                                  if a.lower() in words):
                continue  # a word of it is in the documents (as written or translated), and
                #           every acronym (FIFA, MMLU) is
            content = [w for w in words if w not in EN_STOPWORDS]
            if content and not name.isupper() and re.search(
                    rf"{_WORK_BEFORE}[\"“‘'《]{re.escape(name)}[\"”’'》]", question,
                    re.IGNORECASE) and all(_english_word(w) for w in content):
                continue  # a work's title quoted in translation, every word the dictionary's:
                #           the short 'The Courier' (《快递员》), not 'Zorblax' nor 'HACKED'
        unknown.append(name)
    return unknown


# a work named just before its quoted title ("the AIGC short 'The Courier'", "a drama called")
_WORK_BEFORE = (r"\b(?:short|shorts|film|films|movie|drama|dramas|series|show|title|titled|"
                r"called|named|work|piece|animation|clip|video)\s+(?:\w+\s+)?")


# prepositions and the comparative, which jieba may glue onto the word after them (比文生)
_GLUED_PREPOSITIONS = "比跟和与对在把被给向从同"
# localizers after a noun ("产品里", "文章内"), which jieba may glue onto the verb after them
_LOCALIZERS = "里内"
# localizers after a common noun ("技术上", "行业中"), which jieba may read, glued onto the
# verb after them, as a place (上卡)
_NOUN_LOCALIZERS = "上中下里内"
# measure words, which jieba may glue onto the noun after a demonstrative (那|堵墙)
_MEASURE_WORDS = "个位家款张条堵道座间台部本篇片次场轮波件块根只头辆架棵把门所项份段层种类批"


def _known_word(corpus: Corpus, word: str) -> bool:
    """Whether the documents use this word, or every part of it."""
    bm25 = corpus.bm25
    parts = tokenize(word)
    return bool(bm25.document_frequency(word) or (
        parts and all(bm25.document_frequency(p) for p in parts)))


def _opens_a_name(corpus: Corpus, name: str) -> bool:
    """Whether a known entity's name or form begins with ``name`` (of two characters or
    more): a company called by its short form (博纳 for 博纳影业, 生数 for 生数科技)."""
    if len(name) < 2:
        return False
    surfaces, _ = corpus.entities.surface_tables()
    lexicon = corpus.entities.lexicon
    return any(len(form) > len(name) and form.startswith(name)
               for form in [*surfaces, *lexicon.entries])
