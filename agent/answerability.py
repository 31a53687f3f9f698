"""Whether the passages can hold the *kind* of answer a question asks for.

A near-miss question names real entities and shares the articles' words ("快手可灵的会员包月要花
多少钱?", "Who is Kuaishou's CEO?", "What was Runway's website traffic in October?"), so word
overlap cannot tell it from an answerable one. What it asks for can: a day, a month, an amount of
money, a duration, a headcount, a person in a role, or a figure for a named period. Such a
question is answerable only when one sentence of the retrieved passages holds the entity it is
about together with a value of that kind (and, for money, a word of the same kind of amount;
for a period, that period), or when the extracted landscape has that relation (火山引擎 → 总裁
谭待). The checks read the question's wording and the passages' text; none names a case.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from agent.language import ASKING, SPOKEN_PAUSE, spaced_scripts
from agent.question import PICK_Q, WHY_ASKED, WHY_ASKED_EN, WHY_WEIHE
from index.entities import _tagged
from index.entity_store import EntityIndex
from index.lexicon import fold
from index.tokenize import ZH_STOPWORDS, has_cjk, tokenize

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH_NAMES = "|".join(_MONTHS)
# the months clipped as English writes them ("Oct", "Sept"; May is no clipping)
_MONTH_SHORT = "jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"

# What the question asks for ---------------------------------------------------------------------
_DAY_Q = re.compile(r"哪天|哪一天|几号|几月几日|具体日期|\bwhat dates?\b|\bwhich days?\b|"
                    r"\bwhat days?\b|\bon what days?\b|\bwhen exactly\b|\bexactly when\b|"
                    r"\b(?:exact|specific|precise|actual) (?:[a-z]+ ){0,2}(?:day|date)\b", re.I)
_MONTH_Q = re.compile(r"几月份?|哪个月份?|哪一个月份?|\bwhich month\b|\bwhat month\b|"
                      r"\bin what month\b", re.I)  # a month: a year alone does not answer it
_WHEN_Q = re.compile(r"什么时候|何时|啥时候|啥时|"
                     r"\bwhen (?:did|does|do|will|was|is|were|has|have|had)\b", re.I)
_YEAR_Q = re.compile(r"哪年|哪一年|\bwhich year\b|\bwhat year\b|\bin what year\b", re.I)
_MONEY_Q = re.compile(
    r"多少钱|花多少|花费多少|多少费用|多少元|怎么收费|收费多少|收费标准|要价|什么价(?:格|位|钱)|价格如何|"
    r"(?:怎么|怎样|如何|按什么(?:标准|方式)?)(?:定价|收费|计费)|定价(?:是|为)?(?:怎样|如何|几何)|"
    r"贵不贵|贵吗|便宜吗|"
    # an amount in a currency: "换算成人民币大概多少", "多少美元", "in RMB"
    r"(?:人民币|美元|美金|日元|欧元)[^，。？?]{0,6}多少|多少(?:人民币|美元|美金)|"
    r"\b(?:in|into) (?:rmb|yuan|renminbi|cny|usd|us dollars|dollars)\b|"
    # (费用 is not in 付费用户 / 免费用户: paying or free users are counted)
    r"(?:营收|收入|融资|估值|价格|定价|售价|费用(?!户)|"
    r"成本|营业额|损失|预算)[^，。？?]{0,6}(?:多少|几)|(?:多少|几)[^，。？?]{0,4}(?:营收|收入|融资|估值|"
    r"损失)|(?:金额|价格|定价|费用|成本|预算|估值|融资|营收|收入)[^，。？?]{0,4}多(?:大|高)|"
    r"\bhow much\b[^?]{0,60}\b(?:cost|costs|costing|charge|charges|bill|bills|price|pay|raise|"
    r"raised|revenue|earn|make|spend|worth|fee|lose|lost)\b|\bvalued at\b|\bwhat price\b|"
    r"\bhow much (?:is|are|was|does|do|would|will) (?:it|that|this|they|one)(?: cost)? "
    r"(?:per|a|an|each) (?:month|year|week)\b|"
    r"\bhow much money\b|\bhow much (?:is|are|was|does|do) [^?]{0,50}\b(?:membership|"
    r"subscription|plan|tier)\b|"
    r"\bhow much [^?]{0,30}\b(?:funding|budget|investment|subsid(?:y|ies))\b|"
    # what someone put into something: money ("how much did Ant put into AIGD", 砸了多少)
    r"\bhow much (?:did|does|do|has|have|had|will|would) [^?]{1,40}\b(?:put|pour(?:ed)?|"
    r"pump(?:ed)?|sink|sunk|plough(?:ed)?|plow(?:ed)?|inject(?:ed)?|invest(?:ed)?)\b|"
    r"(?:投入|投了|砸了|砸下|烧了|烧掉)[^，。？?]{0,8}多少(?!时间|天|年|个月|小时|分钟|秒|人|次)|"
    r"\bwhat (?:[\w-]+ ){0,3}(?:subsidies|funding|grants?)\b|"
    r"\bwhat (?:does|do|did|will) [^?]{1,40}\b(?:charge|cost)\b|"
    r"\bwhat(?:'s|’s| is| are) [^?]{1,40}\bcharging\b|\bwhat (?:revenue|price|valuation)\b|"
    # an amount by the analyst's abbreviation ("Runway ARR for 2024?")
    r"\b(?:arr|gmv|annual recurring revenue|revenue run[- ]rate)\b|"
    r"\bwhat(?:'s|’s| is| was| were| are)? (?:the |its |their )?(?:[\w-]+ ){0,2}budget\b|"
    # what a contract or a won bid is worth ("the contract value"; 合同金额多少 is a count of
    # 合同金额, read beside it)
    r"\b(?:contract|deal|order|tender|bid)s? (?:value|amount|worth|size)\b|"
    r"\bpricing\b|\bper token\b|"
    r"\bhow (?:does|do|did|will|would|is|are) (?![^?]{0,40}\b(?:share|stock) price)"
    r"[^?]{1,40}\bpric(?:e|es|ed)\b|"
    r"\bwhat(?:'s|’s| is| was| were| are| did| does) [^?]{0,30}\b(?:revenue|valuation|budget|"
    r"prices?|costs?|fees?|sales|income|funding)\b|"
    # whose, then a few words saying which ("Moonshot AI's latest post-money valuation")
    r"\bwhat(?:'s|’s| is| was| were| are) (?:the )?[\w .-]{1,30}(?:'s|’s) (?:[\w-]+ ){0,3}"
    r"(?:revenue|valuation|budget|prices?|costs?|fees?|sales|income|funding)\b|"
    # "what per-thousand-token price did it give": the noun after a few words saying which
    r"\bwhat (?!(?:is|was|are|were|does|do|did|has|have|had|will|would|can|could)\b)"
    r"(?:[\w-]+ ){1,3}(?:revenue|prices?|valuation)\b(?! (?:wars?|cuts?|drops?|tags?)\b)|"
    # a loss or a cost in a currency ("the actual dollar damage", "the RMB loss")
    r"\b(?:dollar|usd|rmb|yuan)[- ](?:damage|loss|cost|amount|value|figure|impact|toll)s?\b|"
    # how big a loss was, how much someone lost ("how big a loss did the company take")
    r"\bhow (?:big|large|heavy|serious) (?:a |of a )?(?:loss|losses|hit|fine|damage)\b|"
    r"\bhow much (?:money )?(?:did|does|do|has|have|had|will|would) [^?]{1,40}\blose\b|"
    # how big a round of funding was ("how large was the round", "the financing: how big")
    r"\bhow (?:big|large) (?:was|is|were|are|will) [^?]{0,40}\b(?:round|raise|funding|"
    r"financing)s?\b|\b(?:round|raise|funding|financing)s?\b[^?]{0,40}\bhow (?:big|large)\b",
    re.I)
# what a price is for: video generation is priced per clip, a text model per token; a price
# asked of a video model is given where the sentence speaks of video
_MEDIA = (("video", re.compile(r"视频|短片|片段|\bvideos?\b|\bclips?\b", re.I)),)
_DURATION_Q = re.compile(r"多长时间|多久|多少秒|几秒|多少分钟|几分钟|多少小时|多长|耗时多少|耗时几|"
                         r"(?:等待|等候|生成|渲染|处理|制作|排队|耗费|花费?|用)的?时间"
                         r"[^，。？?]{0,6}多少|"
                         r"\b(?:max|maximum|longest)\b[^?]{0,20}\b(?:length|clip|video|duration)\b|"
                         r"\bhow long\b|\bhow many (?:seconds|minutes|hours)\b", re.I)
_HEADCOUNT_Q = re.compile(r"多少(?:名|位)?员工|员工[^，。？?]{0,4}多少|团队[^，。？?]{0,4}多少人|"
                          r"团队规模|员工规模|\bhow many (?:employees|staff|workers)\b|"
                          r"\bhow many people (?:work|are employed)\b|\bheadcount\b|"
                          r"\bhow (?:big|large) (?:is|was|are|were) [^?]{0,30}\bteam\b", re.I)

# What a sentence holds --------------------------------------------------------------------------
_DAY_V = re.compile(rf"\d{{1,2}}月\d{{1,2}}[日号]|\d{{1,2}}[日号]|\d{{4}}-\d{{1,2}}-\d{{1,2}}|"
                    rf"(?:{_MONTH_NAMES}) \d{{1,2}}\b|\b\d{{1,2}} (?:{_MONTH_NAMES})", re.I)
_MONTH_V = re.compile(rf"\d{{1,2}}月|[一二三四五六七八九十]{{1,2}}月|年初|年末|年底|年中|"
                      rf"\b(?:{_MONTH_NAMES})\b", re.I)
_WHEN_V = re.compile(rf"{_MONTH_V.pattern}|(?:19|20)\d\d", re.I)  # a month or a year
_YEAR_V = re.compile(r"(?:19|20)\d\d|今年|去年|明年|前年")
_MONEY_V = re.compile(r"\d[\d.,]*\s*(?:万亿|亿|万|千)?\s*(?:元|美元|人民币|块钱|dollars?|USD|RMB)|"
                      r"[十百千万亿]+[余多]?元|\$\s?\d", re.I)
_DURATION_V = re.compile(r"\d+(?:\.\d+)?(?:\s*[~～\-—]\s*\d+(?:\.\d+)?)?\s*(?:秒|分钟|小时|天|周|"
                         r"个月|seconds?|minutes?|hours?|days?|weeks?)|半个?小时|"
                         r"[一二两三四五六七八九十]+(?:秒|分钟|小时)|"
                         # years as a span ("3—5年内", "十年"), not a year ("2024年", "90年代")
                         r"(?<![\d.])\d{1,2}(?:\s*[~～\-—–]\s*\d{1,2})?\s*年(?![代初中末底])|"
                         r"[一二两三四五六七八九十几]+年(?![代初中末底])|\b\d+ years?\b", re.I)
_HEADCOUNT_V = re.compile(r"\d[\d.,]*\s*(?:万|千)?\s*(?:名|位|人)(?!次)|"
                          r"\d[\d,]* (?:people|employees|staff)", re.I)

# for money: the kind of amount the question means, and the words that show it in a sentence
_AMOUNTS = (
    # a membership's or subscription's price: not what one use costs
    ("subscription", re.compile(r"会员|订阅|包月|包年|月费|年费|\bmembership|\bsubscri|"
                                r"\bmonthly plan\b|\bpro plan\b", re.I)),
    ("revenue", re.compile(r"营收|收入|营业额|收益|revenue|income|sales|earn|\barr\b|\bgmv\b",
                           re.I)),
    ("funding", re.compile(r"融资|募资|投资|投入|砸(?:了|下|进)|领投|"
                           r"raise|raised|funding|round|investor|\binvest|"
                           r"\b(?:put|pour(?:ed)?|pump(?:ed)?|sunk|sink) (?:in|into)\b", re.I)),
    ("valuation", re.compile(r"估值|valued|valuation|worth", re.I)),
    # what was lost, or paid in damages or a fine: not a price
    ("loss", re.compile(r"损失|亏损|亏了|亏掉|赔偿|判赔|赔了|罚款|罚了|\bloss|\blose|\blost\b|"
                        r"\bdamages?\b|\bcompensation\b|\bfined?\b|\bend(?:ed)? up costing\b",
                        re.I)),
    # what building a model cost its maker: not what a user pays per token
    ("training", re.compile(r"训练[^，,。？?]{0,12}(?:成本|费用|花费|开销|投入|花|耗资)|"
                            r"(?:花|耗资|投入)[^，,。？?]{0,12}训练|"
                            r"\bto train\b|\btraining (?:costs?|budget|bill)\b|"
                            r"\bcost of training\b", re.I)),
    # what a user must pay in at once (最低充多少, "top up"): not what one use costs
    ("topup", re.compile(r"充值|(?:得|要|需要|最低|最少|一次|先)充|充多少|充钱|"
                         r"\btop(?:ping)?[- ]?ups?\b|\brecharge|\bminimum (?:purchase|deposit)",
                         re.I)),
    # what a contract or a won tender is worth: not a market's size or a price
    ("contract", re.compile(r"合同|中标|订单|\bcontracts?\b|\btenders?\b|\bbids?\b", re.I)),
    # what a user pays: a price or a cost, not a market's size or a company's revenue
    ("price", re.compile(r"价格|定价|售价|报价|收费|付费|费用|花费|成本|钱|会员|便宜|贵|/|每|免费|"
                         r"\bprices?\b|\bpricing\b|\bcosts?\b|\bcharg(?:es?|ing)\b|\bfees?\b|"
                         r"\bpay\b|\bper\b|\bcheap", re.I)),
)

# what one unit is worth ("what's a credit worth in yuan", "how much is each point worth")
_UNIT_WORTH = re.compile(r"\b(?:a|one|each|every|per|1)\s+[a-z]+(?:\s+(?:is|was))?\s+worth\b",
                         re.I)

# who directed a film: named anywhere beside it ("导演李少红的AI短片《花满渚》")
_DIRECTOR = re.compile(r"导演|执导|\bdirect(?:ed|or|ors)\b", re.I)
# "who is X's CEO": the role words of each kind
_ROLES = (
    re.compile(r"首席执行官|(?<![a-z])CEO(?![a-z])|chief executive", re.I),
    re.compile(r"创始人|创办|founder|founded", re.I),
    re.compile(r"董事长|chairman|chair\b", re.I),
    re.compile(r"(?<!副)总裁|president", re.I),
    re.compile(r"负责|主管|掌管|牵头|带队|掌舵|挂帅|操盘|(?:在|来)管|谁管|管着|"
               r"谁(?:来)?带(?:这个|该|这支|整个)?(?:团队|队伍|部门)|谁(?:来)?带(?:队|头)?(?=\s*[?？]?\s*$)|"
               r"\bleads\b|\bheads\b|\bhead of\b|\bhead(?:ing|ed) up\b|\bleader\b|\bteam lead\b|"
               r"\bin charge of\b|\blead\b|\bwill head\b|\bhead (?:the|its|up)\b|"
               r"\bresponsible for\b|\bruns\b|\b(?:to|will|would|gonna) run\b|\brunning\b|"
               r"\boversees?\b|\bin charge\b", re.I),
    re.compile(r"首席科学家|chief scientist", re.I),
    re.compile(r"首席技术官|(?<![a-z])CTO(?![a-z])|chief technology", re.I),  # not direCTOr
    _DIRECTOR,
)
_ROLE_REACH = 12  # characters between an entity and its role: "腾讯|混元多模态生成技术|负责人"
_ROLE_BREAK = re.compile(r"[，,。；;、：:（）()“”]")
_WHO_Q = re.compile(r"谁|哪位|什么人|\bwho\b|\bwhom\b", re.I)

# what something is called: a name right after the entity ("智谱…视频模型“清影”", "快手的可灵")
# ("产品名是什么", "片名是啥": a name's own noun; "what's its name")
_NAME_Q = re.compile(r"叫什么|什么名字|名字是|名称是|名是(?:什么|啥)|叫啥|啥名字|"
                     r"\bits (?:full |official )?name\b|"
                     r"\bwhat(?:'s| is| was| are| were) (?:[\w'’]+ ){0,6}called\b|"
                     r"\bwhat(?:'s| is| was) the name of\b|\bwhat name\b|"
                     r"\bwhat (?:are|were) the names of\b", re.I)
# a thing's name by its own noun: the film is asked, not its director's name
# ("导演李少红拍的那部AI短片片名是什么")
_THING_NAME = re.compile(r"(?:片|剧|作品|产品|品牌|书|型号|模型|平台|应用|节目)名")
# what a firm makes or sells ("新壹科技是做啥的", "主打产品是哪个", "what does X sell"): as for
# a name, a product named right after the firm
_PRODUCT_Q = re.compile(r"主打(?:产品|的是)|主营|主要(?:业务|产品)|(?:卖|做|推出|提供)(?:的是)?"
                        r"(?:什么|啥|哪些)(?:产品|业务)|是做(?:什么|啥)的|做(?:什么|啥)(?:业务|生意)|"
                        r"\bwhat does (?!(?:the|each|either|both) )[^?]{1,40}"
                        # (not what it wants or plans to do: "wanna do w/ LLMs")
                        r"(?<!wanna )(?<!want to )(?<!plan to )(?<!hope to )(?<!gonna )"
                        r"(?<!going to )(?<!aim to )\b(?:do|make|sell|offer)\b(?! of\b)|"
                        r"\b(?:main|flagship|core) (?:product|business)", re.I)
# (a Latin name, not a title or a bare acronym: "CEO", "AI", "App" name nothing)
# (a quoted name is short and unpunctuated: “清影”, not the quote of what someone said)
# (it may end past the reach)
# (a quote after a comma or colon is what was said: "愿望是,“用AI大模型造医生”")
_NAME_V = re.compile(r"《[^》]|(?<![，,：:])[“\"][^”\"，,。；;！？!?：:]{2,15}[”\"]|名为|"
                     r"(?<![A-Za-z0-9])(?!(?:ceo|cto|coo|cfo|ai|app|to|b|c)(?![A-Za-z0-9]))"
                     r"[A-Za-z][A-Za-z0-9]+", re.I)
_NAME_REACH = 40  # characters between the entity and the name: "智谱开放了视频模型“清影”"
# the name of someone the question calls by what they are ("那个实习生叫什么名字", "the intern's
# name"): only a name right after that word answers it (实习生张三), not a name after the firm
# they work for (a character is not among these words: the story calls its hero 快递员Lili)
_PERSON_NOUN = (r"实习生|员工|职员|工程师|研究员|研究者|科学家|作者|记者|编辑|学生|程序员|高管|"
                r"主播|演员|分析师")
_PERSON_NOUN_EN = (r"intern|employee|staffer|engineer|researcher|scientist|author|reporter|"
                   r"journalist|editor|student|programmer|executive|analyst")
_PERSON_ONLY_EN = r"intern|employee|staffer|reporter|journalist|student|programmer|analyst"
_PERSON_NAME_Q = re.compile(
    rf"({_PERSON_NOUN})(?:的)?(?:到底|究竟|又|都|本人)?(?:叫什么|叫啥|什么名字|名字|姓什么|姓名)|"
    rf"\bname of (?:the|that|this) (?:[\w-]+ ){{0,2}}?({_PERSON_NOUN_EN})\b|"
    rf"\b({_PERSON_NOUN_EN})(?:'s|’s) (?:real |full )?name\b|"
    rf"\b(?:the|that) (?:[\w-]+ ){{0,2}}?({_PERSON_NOUN_EN})\b[^?]{{0,60}}"
    rf"\b(?:called|(?:his|her|their) (?:real |full )?name)\b|"
    # "who was the analyst", "那个分析师是谁": that person, by name
    # (not a firm's role: "who was the chief scientist" asks the role's holder)
    rf"\bwho(?:'s|’s| is| was| were) (?:the|that|this) (?:[\w-]+ ){{0,2}}?({_PERSON_ONLY_EN})\b|"
    rf"({_PERSON_NOUN})(?:到底|究竟|又)?(?:是谁|叫谁)|"
    # "which analyst wrote it", "哪位分析师": that person, by name
    rf"\bwhich ({_PERSON_ONLY_EN})\b|哪(?:位|个|名)({_PERSON_NOUN})", re.I)
# where someone studied: a school or degree in a sentence about them
# a real or full name asked of someone the question calls by another ("叫凯撒的负责人,真名叫什么",
# "the lead who goes by 'Kaiser'"): only a sentence saying the real name answers it (本名,
# 真名, "real name", or the name in brackets after the one used: 凯撒(张三))
_REAL_NAME_Q = re.compile(r"真名|真实姓名|本名|原名|全名|实名|\b(?:real|full|actual|legal|birth) "
                          r"(?:full )?name\b", re.I)
_REAL_NAME_V = re.compile(r"真名|真实姓名|本名|原名|全名|实名|\b(?:real|full|legal|birth) name\b|"
                          r"[\u4e00-\u9fffA-Za-z]{2,12}\s*[（(][\u4e00-\u9fff]{2,4}[)）]", re.I)
_SCHOOL_Q = re.compile(
    r"在哪(?:里|儿)?(?:读|上学|念|毕业|求学)|毕业于|哪所(?:大学|学校|学院)|学历|"
    r"\bwhere did [^?]{1,40}\b(?:study|studied|go to (?:school|college)|graduate)\b|"
    r"\bwhich (?:university|college|school)\b|\balma mater\b|\bgraduated? from\b", re.I)
_SCHOOL_V = re.compile(
    r"大学|学院|学校|毕业|本科|博士|硕士|university|college|school|ph\.?d|degree", re.I)
# what happened to someone: a sanction in a sentence about them
# (处分, not 两处分别: "in the two places")
_SANCTION_Q = re.compile(r"处罚|惩罚|处分(?!别)|开除|辞退|解雇|起诉|罚款|判刑|追责|追究|法律责任|"
                         r"坐牢|"
                         r"\bdid [^?]{1,40}\b(?:fire|sue|punish|penali[sz]e|discipline)\b|"
                         r"被开(?:除|了)?|被告(?!诉|知)|被炒|炒鱿鱼|被辞|"
                         r"什么处理|怎么处理|"
                         r"如何处理|怎样处理|如何处置|什么下场|\bpunish|\bfired\b|"
                         r"\bsued\b|\bpenalt|\bdisciplin|\bprosecut", re.I)
_SANCTION_V = re.compile(r"处罚|惩罚|处分|开除|辞退|解雇|起诉|罚款|判刑|追责|追究|法律责任|判决|"
                         r"punish|fired|"
                         r"sued|lawsuit|penalt|disciplin|prosecut", re.I)

# a plan or intention: a sentence that says what someone plans, intends or will do, or what
# they will not ("百度不碰Sora类的视频生成" answers "百度打算怎么做,会跟进吗")
_PLAN_Q = re.compile(r"打算|计划|有没有准备|准备(?:什么时候|何时|怎么|如何)|\bplan(?:s|ned|ning)? "
                     r"(?:to|on)\b|\bplanning\b|\bintends?\b|\bintending\b", re.I)
_PLAN_V = re.compile(r"计划|打算|准备|将于|将会|即将|预计|规划|愿望|想要|\bplans?\b|"
                     r"不碰|不做|不跟进|不涉足|放弃|\bwon'?t\b|\bwill not\b|\brefuses? to\b|"
                     r"\bplanned\b|\bwill\b|\bintend|\bexpect|\baims?\b|\bgoal\b", re.I)

# a change or a rate (环比, growth rate): a percentage or a multiple, not a level
_CHANGE_Q = re.compile(r"环比|同比|增长率|增速|涨幅|跌幅|增幅|降幅|变化幅度|幅度多大|"
                       r"\bmonth[- ]on[- ]month\b|\byear[- ]on[- ]year\b|\bgrowth rate\b|"
                       r"\b(?:mom|yoy)\b|\bpercent(?:age)? change\b|"
                       r"\b(?:month|year|quarter)[- ]over[- ](?:month|year|quarter)\b", re.I)
_CHANGE_V = re.compile(r"\d\s*[%％]|百分之|\d\s*倍|[一二两三四五六七八九十]倍|翻番|翻倍|"
                      # or from one level to another ("从3303万涨到7913万", "降至0.8元")
                      r"(?:降|跌|涨|升|增|减)(?:至|到)\s*\d", re.I)
# a verb of rise or fall left as the counted thing ("掉了多少"): the question asks by how much
# a rise or a fall asked by how much ("比八月份跌了多少", "从年初到九月涨了多少"; not 涨到了多少,
# the level it reached)
_ROSE_OR_FELL_BY = re.compile(r"(?:跌|降|涨|下滑|下降|上涨|缩水|下跌|回落|上升|暴跌|暴涨|下挫|增长|"
                              r"减少|增加)了?(?:多少|几成|百分之几)")
_RISE_OR_FALL = re.compile(r"掉|跌|降|涨|下滑|下降|上涨|缩水|下跌|回落|上升|暴跌|暴涨|下挫")
# by how much one thing is below or above another ("比同行低了多少"): a difference, and what it is
# compared with (同行) is no counted thing
_LOWER_THAN = re.compile(r"(?:比|相比|相较|比起|较)[^，,。？?]{0,12}?"
                         r"(?:低|高|便宜|贵|少|多|快|慢)了?"
                         r"(?:多少|几成)"
                         r"(?=\s*[？?，,。！!]|\s*$)"  # (比去年多了多少用户: a count of users)
                         r"|(?i:\bhow much (?:below|above|cheaper|lower|higher|less|more expensive"
                         r"|faster|slower)\b)")
# a ratio (几比几, what ratio): a ratio, a share or a percentage
_RATIO_Q = re.compile(r"几比几|比例(?:是|为)?(?:多少|什么)|(?:什么|多大|多少|多高的?)比例|"
                      r"\bratio (?:of|is|was|at) what\b|"
                      r"占比[^，,。？?]{0,3}(?:多少|多大|多高|几成)|"
                      r"市场份额|市占率|\bmarket share\b|"
                      r"占(?:到|了)?(?:多少|几成)|\bwhat ratio\b|"
                      r"\bthe ratio\b|\bwhat share\b|\bwhat proportion\b|"
                      r"\bwhat(?:'s|’s| is| are)? (?:the )?(?:[\w-]+ ){1,4}(?:ratio|proportion)\b|"
                      r"\b(?:ratio|proportion) "
                      r"(?:of|between) [^?]{1,40}\b(?:to|and|versus|vs)\b|"
                      # a margin or a rate asked as a figure ("what gross margin", 毛利率多少,
                      # "what success-rate percentage"; not 成功率怎么样, how it stands)
                      r"\bwhat (?:[\w-]+ ){0,2}margins?\b|"
                      r"(?:毛利率|净利率|利润率)[^，,。？?]{0,4}(?:多少|几|多高)|"
                      r"(?:多少|多高)的?(?:毛利率|净利率|利润率)|"
                      r"\bwhat (?:[\w-]+ ){0,2}(?:success|conversion|retention|churn|"
                      r"penetration|failure|error)[- ]rates?\b|"
                      r"(?:成功|转化|留存|流失|渗透|失败)率[^，,。？?]{0,4}(?:是|有)?(?:多少|几|多高)",
                      re.I)
# (a percentage right after a comparative or a rise or fall is a difference: "比行业便宜99.3%",
# "环比下跌38.49%")
_RATIO_V = re.compile(r"\d\s*(?:[:：∶/]|比)\s*\d|"
                      r"(?<![宜低高多少贵快慢涨跌降升增减\d.])\d[\d.]*\s*[%％]|"
                      r"百分之|[一二三四五六七八九十]成|"
                      r"[一二三四五六七八九十]分之|一半|\bhalf\b|\d+ (?:to|in) \d+|"
                      r"\d\s*倍|[一二两三四五六七八九十百千]+倍", re.I)

# a pick among a group ("六小虎里哪几家", "which of the six tigers"): a sentence naming a member,
# some entity besides those the question names
_MEMBER_Q = re.compile(r"(?:里|里面|里头|中|当中|之中|其中)(?:的)?哪(?:几|一)?(?:家|个|位|款|些)|"
                       r"点(?:了)?名(?:了)?哪(?:几|一)?(?:家|个|位|款|些)|"
                       r"\bwhich (?:ones? |two |three )?of "
                       r"(?:the |these |those |its |their )?", re.I)
# how someone answered a claim or a criticism: a sentence saying they responded
_RESPONSE_Q = re.compile(r"(?:作何|有何|有什么|什么|怎么|如何)(?:回应|反应|回复)|"
                         r"有没有(?:公开)?(?:回应|回复)|"
                         r"(?:回应|回击|反驳|回复)(?:了|过)?[^，,。？?]{0,20}(?:说法|言论|质疑|批评|指控)|"
                         r"\b(?:respond|responded|react|reacted|reply|replied)\b[^?]{0,10}\bto\b|"
                         r"\bresponse to\b|\breaction to\b", re.I)
_RESPONSE_V = re.compile(r"回应|回复|回击|反驳|否认|澄清|表态|声明|\brespon|\brepl(?:y|ied)\b|"
                         r"\breact|\bden(?:y|ied)\b|\brebut", re.I)

# where a work can be watched: a platform named (抖音, a streaming site, an app store)
_PLATFORM_Q = re.compile(r"(?:在|上)(?:哪|什么)(?:个|家)?平台|"
                         r"哪(?:个|家)?平台(?:上|可以|能)?(?:看|播|上线|观看|首播|播放)|"
                         r"在哪(?:里|儿)?(?:能|可以)?(?:看|播|播出|上线|观看)|"
                         r"\bon (?:which|what) (?:platforms?|streaming (?:service|site)s?)\b|"
                         r"\b(?:which|what) (?:platforms?|streaming (?:service|site)s?) "
                         r"(?:is|was|are|were|can|did|does|do) [^?]{0,40}\b(?:on|air|aired|"
                         r"stream|streamed|shown|watched|available)\b|"
                         r"\b(?:which|what) (?:platforms?|streaming (?:service|site)s?) (?:first )?"
                         r"(?:premiered|released|aired|streamed|launched|hosted|carried|showed|"
                         r"debuted)\b|"
                         r"\bwhere (?:can|could|do|did|does|is|was) [^?]{0,40}\b(?:watch|stream|"
                         r"streamed|air|aired|released|shown|available)\b", re.I)
_PLATFORM_V = re.compile(r"抖音|快手|B站|哔哩哔哩|爱奇艺|优酷|腾讯视频|芒果TV|西瓜视频|"
                         r"视频号|微信|微博|小红书|YouTube|Netflix|App Store|应用商店|"
                         r"\bNetflix\b|\bYouTube\b|\bTikTok\b|\bDouyin\b|\bBilibili\b", re.I)
# which version: a version number (1.6版本, v2)
_VERSION_Q = re.compile(r"版本号|哪个版本|什么版本|哪一版|\b(?:which|what) version\b|"
                        r"\bversion number\b", re.I)
_VERSION_V = re.compile(r"\d+(?:\.\d+)*\s*版|版本\s*\d|\bv\d|\bversion \d", re.I)
# a score out of a scale: points (8分, 90 points), not minutes
_SCORE_Q = re.compile(r"(?:打|得|拿|考)了?(?:几|多少)分|几分(?!钟|之)|多少分(?!钟|之)|"
                      r"评分(?:是|为)?多少|"
                      r"\bhow many points\b|\bhow (?:did|does|do) [^?]{1,60}\bscore\b|"
                      r"\bwhat scores\b|\bwhat (?:numerical|numeric|exact|final|overall) "
                      r"scores?\b|"
                      r"\bscores? on\b|\bbenchmark (?:scores?|results?|numbers)\b|跑分|"
                      r"(?:基准|评测|测评)(?:得分|分数|成绩)", re.I)
_SCORE_V = re.compile(r"\d+(?:\.\d+)?\s*分(?!钟|之|析|别|为|享|布|类|工|化|支|成)|"
                      r"\d+(?:\.\d+)?\s*(?:points?|/\s*\d+)\b|\bscored?\b", re.I)

# which institutions work with someone (哪些医院, which customers, its investors): a sentence
# naming institutions of that sort beside them
_PARTNER_Q = re.compile(r"(?:哪些|哪几家|哪家|哪个|哪所|什么)(?:医院|客户|合作伙伴|合作方|投资方|"
                        r"投资人|投资机构|股东|银行|高校|大学|学校|车企|电商平台|电商|品牌方)|"
                        r"\bwhich (?:[\w-]+ ){0,2}(?:hospitals?|customers?|clients?|partners?|"
                        r"investors?|shareholders?|banks?|universities|schools?|automakers?|"
                        r"carmakers?|retailers?|e-commerce platforms?)\b|"
                        r"\bwho (?:are|were) (?:its|their|the) (?:[\w-]+ )?(?:customers|clients|"
                        r"partners|investors|backers)\b|\bwhich [^?]{0,40}\b(?:as|become|became) "
                        r"(?:customers|clients|partners|investors)\b", re.I)
_PARTNER_V = re.compile(r"医院|客户|合作|投资|股东|银行|高校|大学|学院|学校|车企|电商平台|品牌|"
                        r"\bhospital|\bcustomer|\bclient|\bpartner|\binvest|\bshareholder|"
                        r"\bbank|\buniversit|\bschool|\bautomaker|\bcarmaker|\bretailer", re.I)

# who organised or hosted something ("哪家公司组织的", "which company organized the project"), and
# what someone teaches ("王廷轩教哪门课"): a sentence saying so
_ORGANIZER_Q = re.compile(r"(?:哪家|哪个|什么|谁)(?:公司|机构|单位|平台)?"
                          r"(?:组织|发起|主办|牵头|策划|操办)|由谁(?:组织|发起|主办|策划)|"
                          r"\b(?:which|what) (?:[\w-]+ ){0,2}(?:company|organi[sz]ation|firm|body|"
                          r"platform|institution|group)\b[^?]{0,30}\b(?:organi[sz]ed|hosted|"
                          r"sponsored|ran|initiated|launched the (?:project|program|initiative))\b|"
                          r"\bwho (?:organi[sz]ed|hosted|sponsored|initiated)\b", re.I)
_ORGANIZER_V = re.compile(r"组织|发起|主办|承办|牵头|策划|操办|\borgani[sz]|\bhosted\b|\bsponsor|"
                          r"\binitiat", re.I)
_COURSE_Q = re.compile(r"(?:教|讲|上|开)(?:的是|的)?(?:哪门|哪一门|什么|啥)课|"
                       r"主讲(?:的是)?(?:哪门|什么|啥)|"
                       r"\bwhat (?:course|class|subject)s? (?:does|did|do) [^?]{1,40}\bteach\b|"
                       r"\bteach(?:es)? which (?:course|class)", re.I)
_COURSE_V = re.compile(r"课程|课堂|主讲|开设|讲授|授课|\bcourse|\bclass(?:es)?\b|\bteach", re.I)

# which team made something: a team, lab or department named (who is in charge of a thing is
# a role, said of a person)
_TEAM_Q = re.compile(r"(?:哪个|哪支|哪一个|什么)(?:团队|部门|实验室|小组|事业部|研究院)"
                     r"[^，,。？?]{0,4}(?:开发|研发|打造|推出|做|搞)|"
                     r"\b(?:which|what) (?:[\w-]+ ){0,2}(?:team|lab|laboratory|department|unit|"
                     r"division)\b"
                     r"[^?]{0,60}\b(?:built|developed|made|created|designed|behind|working|"
                     r"worked|work)\b|"
                     r"(?:在|属于|来自|是)(?:哪个|哪支|哪一个|什么)(?:团队|部门|实验室|小组|事业部)|"
                     r"\b(?:which|what) (?:[\w-]+ ){0,2}(?:team|lab|department|unit|division)\b"
                     r"[^?]{0,60}\b(?:on|in|from)\s*\?", re.I)
# (a team the sentence names: 通义实验室, 工程团队, App团队; not 对团队资源分配不满, "the team")
_TEAM_V = re.compile(r"(?:[A-Za-z0-9]|(?![对的该这那其各个整本原此与和跟在为给])[\u4e00-\u9fff])"
                     r"(?:团队|部门|实验室|小组|事业群|事业部|研究院|研究所)|"
                     r"\b(?!(?:the|a|an|his|her|its|their|our|that|this)\b)[A-Za-z]+ "
                     r"(?:team|lab|laboratory|department|division)\b", re.I)

# what someone did before: a sentence about their earlier work (曾任, 此前, formerly)
_CAREER_Q = re.compile(r"(?:之前|此前|以前|曾经|过去)(?:在哪|在什么|干过|做过|是做|待过|任职)|"
                       r"曾在哪|在哪(?:家|个)?公司(?:干|工作|任职)过|(?:之前|以前)的(?:经历|履历|工作)|"
                       r"\bbefore (?:he|she) (?:took|joined|became|was)\b|\bbefore (?:joining|"
                       r"taking over)\b|\bprior to joining\b|\bworked (?:at|for) before\b|"
                       r"\b(?:his|her) career\b", re.I)
_CAREER_V = re.compile(r"曾任|曾在|曾经|此前|之前在|早年|出身|毕业|加入.{0,10}前|前任|原(?:任|为)|"
                       r"\bformerly\b|\bpreviously\b|\bformer\b|\bbefore joining\b", re.I)

# how a figure moved ("how did MAU grow from January to September"): figures, of the region
# and the market the question names
_TREND_Q = re.compile(r"\bhow (?:much |fast |quickly )?(?:did|does|do|has|have) [^?]{1,60}\b"
                      r"(?:grow|grown|rise|risen|fall|fallen|drop|dropped|decline|declined|"
                      r"increase|increased|change|changed)\b", re.I)
# what a work was made with: a product or maker named beside it
_TOOL_Q = re.compile(r"用(?:的是|的)?(?:哪一?家|哪一?个|什么|啥)(?:公司)?的?(?:视频)?(?:大)?"
                     r"(?:模型|工具|软件|产品|AI)|"
                     r"(?:哪一?家|哪一?个|什么|啥)的?(?:视频)?(?:大)?(?:模型|工具|软件)"
                     r"(?:做|生成|制作|拍)|"
                     r"\bwhich (?:[\w-]+ ){0,3}(?:models?|tools?|software|apps?|products?) "
                     r"(?:was|were|did)\b"
                     r"[^?]{0,40}\b(?:use|used|make|made|create|created|generate|generated)\b|"
                     r"\b(?:made|created|generated|produced) (?:with|using|on) (?:which|what)\b",
                     re.I)

# what a new version improved: a sentence saying what got better (提升, 优化, 新增, improved)
_IMPROVED_Q = re.compile(r"(?:比|跟|和|与)[^，,。？?]{0,10}"
                         r"(?:之前|以前|上一?版|上一个版本|旧版|前代|老版)"
                         r"[^，,。？?]{0,12}(?:强在|改进|提升|进步|区别|不同|好在)|"
                         r"(?:升|更新)(?:级)?到[^，,。？?]{0,10}(?:以后|之后|后)[，,]?[^，,。？?]{0,14}"
                         r"(?:改进|提升|新能力|新功能|强在|多了|变化)|具体(?:改进|提升|强在|新增|升级)了?|"
                         r"\bwhat (?:improved|changed|is new|got better)\b|"
                         r"\bnew (?:features|capabilities)\b|\bwhat did [^?]{1,40}\b(?:add|improve|"
                         r"upgrade)\b", re.I)
_IMPROVED_V = re.compile(r"提升|改进|优化|增强|新增|改善|进步|加入了|支持了|"
                         r"更(?:快|强|好|清晰|稳定|流畅)|"
                         r"\bimprov|\benhanc|\bupgrad|\bnew features?\b|\bfaster\b|\bbetter\b",
                         re.I)

# "besides X and Y, who/which else": a sentence naming someone or something else
_OTHERS_Q = re.compile(r"\b(?:besides|apart from|other than|aside from|except for)\b|"
                       r"除了[^，,。？?]{1,20}(?:以外|之外|外)?[，,]?\s*(?:还有|还|其他|其余|另外)",
                       re.I)
_PEOPLE_Q = re.compile(r"哪(?:几|一)?位|哪些人|哪几个人|\bwhich (?:other )?(?:people|persons|"
                       r"directors|executives|founders|ceos)\b", re.I)  # people, not things
_WHO_OR_WHICH = re.compile(r"谁|哪|\bwho\b|\bwhich\b|\bwhat other\b|\bother\b", re.I)

# how big a market is: an amount (8520亿元), for the year the question names if it names one
# (a time between: "市场这两年规模", "市场2024年的规模")
_MARKET_TIME = (r"(?:在|于)?\s*(?:这|那|近|过去|最近|今|明|去|前)?"
                r"(?:\d{2,4}|[一二两三四五六七八九十]+|几)?年(?:来|间|内)?的?\s*")
_MARKET_Q = re.compile(rf"市场规模|市场\s*{_MARKET_TIME}规模|"
                       rf"市场\s*(?:{_MARKET_TIME})?(?:一共|总共|到底|究竟|大概|大约|才|能|会|有)*多大|"
                       r"市场(?:容量|空间)(?:有|是)?多|"
                       r"\bmarket (?:sizes?|values?)\b|\bsizes? (?:of|for) [^?]{0,40}\bmarkets?\b|"
                       r"\bhow (?:big|large) [^?]{0,50}\bmarkets?\b|"
                       r"\bmarkets?\b[^?]{0,30}\bworth\b|"
                       # a forecast for a market is a forecast of its size
                       r"\bforecasts? (?:for|of) [^?]{0,40}\bmarkets?\b|"
                       r"\bmarkets? (?:forecasts?|projections?|outlook)\b|"
                       r"\bwhat size\b[^?]{0,60}\bmarkets?\b|"
                       r"\b(?:project|projects|projected|projection|predicts?|predicted) "
                       r"(?:for|of) [^?]{0,40}\bmarkets?\b|"
                       r"预测[^，,。？?]{0,20}市场(?!份额|占有率)", re.I)
_MARKET_V = re.compile(r"\d[\d.,]*\s*(?:万亿|亿|万|千)?\s*(?:元|美元|人民币)|"
                       r"\d[\d.,]*\s*(?:万亿|亿)(?![张个次人部条位款家件项篇])|"  # not 1.75亿张图片
                       r"\d[\d.,]*\s*(?:元|美元|billion|million|trillion)|\$\s?\d", re.I)

# how a company's shares moved: a sentence about its stock
_STOCK_Q = re.compile(r"股价|股票|市值|\bshare price|\bstock(?: price)?\b|\bshares? (?:rose|fell|"
                      r"jumped|dropped)|\bmarket (?:cap|value)\b", re.I)
_STOCK_V = re.compile(r"股价|股票|市值|涨停|跌停|股市|港股|美股|A股|\bshares?\b|\bstock\b|"
                      r"\bmarket (?:cap|value)\b", re.I)

# where something is based, how old someone is, what prize it won, its resolution
_PLACE_Q = re.compile(
    r"总部(?:在|设在|位于)|位于哪|在哪个城市|哪个城市|哪座城市|\bwhere (?:is|are|was|were) "
    r"[^?]{1,40}\b(?:based|headquartered|located)\b|\bheadquarter(?:s|ed)\b|"
    # where a meeting or an event took place ("会议是在哪开的", "where was it held")
    r"在哪(?:里|儿)?(?:开|召开|举办|举行|办)的?(?=\s*[?？]?\s*$)|"
    r"\bwhere (?:was|is|were|will) [^?]{1,60}\b(?:held|hosted|staged)\b|"
    r"\bwhich (?:city|cities|province)\b|\bwhat city\b", re.I)
# which countries: a country or region named
_COUNTRY_Q = re.compile(r"哪(?:个|些|几个)?国家|哪国|哪(?:个|些)地区|"
                        r"\b(?:which|what) (?:countries|country|regions?|markets abroad)\b", re.I)
_COUNTRY_V = re.compile(r"中国|美国|日本|韩国|英国|法国|德国|印度|巴西|俄罗斯|加拿大|新加坡|"
                        r"欧洲|亚洲|北美|东南亚|中东|非洲|拉美|海外|国外|\b(?:US|USA|U\.S\.|UK|EU)\b|"
                        r"\b(?:China|America|Japan|Korea|India|Europe|Asia|countries|country)\b",
                        re.I)
_PLACE_V = re.compile(r"总部|位于|坐落|落户|北京|上海|深圳|杭州|广州|"
                      # a city or province, not 城市 (a city), 市场 (market), 市值, 市占率, 省钱
                      r"[\u4e00-\u9fff]{1,3}(?:(?<!城)市(?!场|值|面|民|占|况)|省(?!钱|力|时))|"
                      r"硅谷|旧金山|纽约|伦敦|based in|headquartered|located in", re.I)
# a rank (排第几, where does X rank) needs a ranking said of the entity, not any figure
_RANK_Q = re.compile(r"排第几|排在第几|排名第?几|第几名|排名(?:是|如何|怎么样|多少)|名次|"
                     r"\bwhere (?:does|did|do) [^?]{1,60}\brank\b|"
                     # (not a stance: "what position does each article attribute to him",
                     # "what position did he take")
                     r"\bwhat (?:rank|ranking|position(?! (?:do|does|did) [^?]{1,40}\b(?:attribute|"
                     r"take|takes|took|hold|holds|held|adopt|adopts|adopted)\b))\b|"
                     r"\branks? (?:on|in|among)\b", re.I)
_RANK_V = re.compile(r"第[一二三四五六七八九十\d]+(?:名|位)|排名|排行|榜首|位列|位居|居首|冠军|"
                     r"夺冠|翘楚|佼佼者|第一梯队|头部|领先|领跑|名列前茅|数一数二|首屈一指|"
                     r"\bNo\.\s*\d|#\d|\brank(?:ed|s|ing)?\b|\btop[ -]?\d+\b|\bleading\b|"
                     r"\bbest\b", re.I)  # a standing said in words counts: 已算翘楚, 第一梯队
# what a pick is by: the words before 最/排第一 ("融资金额最多" → 融资, 金额), or after "the most"
# ("the most users" → users); a standing about something else answers nothing
_PICK_ZH_BY = re.compile(r"([\u4e00-\u9fffA-Za-z]{1,8}?)"
                         r"(?:排(?:名|在)?第一|最(?!新|近|后|初|早|终))")
_PICK_EN_BY = re.compile(r"\b(?:most|highest|largest|biggest|fastest|cheapest|strongest|lowest|"
                         r"fewest|least)\s+((?:[\w-]+\s+){0,3}[\w-]+)", re.I)
_EN_BASE = frozenset("base bases count counts number numbers total".split())
_PICK_ZH_MORE = re.compile(r"([\u4e00-\u9fffA-Za-z]{1,8}?)更(?=多|高|大|快|便宜|强|好|受欢迎)")
_PICK_WHICH = re.compile(r"^.*(?:哪一?[个家款位些]|谁|的|里|中)")  # what comes before what
_EN_BREAK = {"in", "of", "on", "for", "among", "right", "now", "than", "so", "by", "at", "to",
             "from", "since", "this", "that", "today", "currently", "ever", "overall", "and",
             "as", "with", "when", "after", "before", "during", "across", "within", "per"}


_MARKET_OF_EN = re.compile(r"((?:[\w-]+ ){0,3})markets?\b", re.I)
_MARKET_OF_ZH = re.compile(r"([\u4e00-\u9fffA-Za-z ]{1,12}?)市场")
_NO_MARKET = {"china", "chinese", "global", "world", "worldwide", "domestic", "overall", "the",
              "total", "entire", "whole", "s", "china's", "world's", "of", "for", "in", "a",
              "an", "its", "their", "this", "that", "size", "big", "large", "how", "will", "be",
              "is", "what", "projected", "forecast", "expected",
              # how exactly a figure is asked for, not of what ("具体的市场规模", "最新的…")
              "具体", "详细", "准确", "确切", "明确", "精确", "最新", "大概", "大致", "相关"}


def _market_of(question: str) -> str:
    """What market a question asks the size of: its head word ("China's LLM market" → llm,
    "AI agent market" → agent, "国内大模型市场" → 大模型), "" when it names none or two (a
    comparison of two markets)."""
    if len(re.findall(r"市场|\bmarkets?\b", question, re.I)) != 1:
        return ""
    english = _MARKET_OF_EN.search(question)
    if english is not None:
        words = [w for w in re.split(r"[\s']+", english.group(1).lower()) if w
                 and w not in _NO_MARKET and not w.isdigit() and not has_cjk(w)]
        if words:
            return words[-1]
    # (Chinese before an English "market": "国内大模型的market size" is 国内大模型市场's)
    chinese = _MARKET_OF_ZH.search(re.sub(r"\s*\bmarkets?\b", "市场", question, flags=re.I))
    if chinese is not None:
        # (the market named after a preposition: "给出了哪些关于市场规模的数据" names none)
        named = re.split(r"关于|对于|有关|针对|涉及", chinese.group(1))[-1]
        words = [w for w in tokenize(named) if len(w) > 1
                 # (no market: "how big is that market", "有没有具体的市场规模预测")
                 and w not in ZH_STOPWORDS and w not in _NO_MARKET
                 and not _REGION_WORD.fullmatch(w)
                 and not re.fullmatch(r"[这那哪每][个块片类种些]", w)  # 这块市场: no market
                 and not w.isdigit() and not re.fullmatch(r"\d+年?", w)]
        if words:
            return words[-1]
    return ""


# a size asked for now ("目前市场规模多大", "how big is it today"): a forecast does not give it
_NOW_Q = re.compile(r"目前|现在|当前|眼下|如今|\btoday\b|\bnow\b|\bcurrently\b|\bcurrent\b|"
                    r"\bat present\b", re.I)
_FORECAST = re.compile(r"预计|预测|预期|有望|将(?:会|达|激增|增长|突破|超过)|到20\d\d年|"
                       r"\bforecast|\bprojected\b|\bexpected\b|\bwill\b|\bby 20\d\d\b", re.I)
_REGION_WORD = re.compile(r"中国|国内|全球|全国|我国|国际|海外|整体|整个|全年|今年|明年|去年")


def _pick_by(question: str) -> str:
    """What a superlative pick is by, "|"-separated ("" when the question does not say)."""
    english = _PICK_EN_BY.search(question)
    if english is not None:
        words = []
        for word in english.group(1).split():
            if word.lower() in _EN_BREAK:
                break
            words.append(word)
        if len(words) > 1 and words[-1].lower() in _EN_BASE:
            words.pop()  # "the largest user base": by users
        return words[-1].lower() if words else ""
    chinese = _PICK_ZH_BY.search(question)
    if chinese is None:  # "哪个的月活更多": the nouns before 更 (用得更多 is by nothing named)
        more = _PICK_ZH_MORE.search(question)
        if more is None:
            return ""
        nouns = [t.word for t in _tagged(_PICK_WHICH.sub("", more.group(1)))
                 if t.flag.startswith("n") and len(t.word) > 1]
        return "|".join(nouns[-2:])
    by = _PICK_WHICH.sub("", chinese.group(1))
    # a verb before 得 says how, not by what ("答得最好", "卖得最多"): it names no measure
    words = [w for w in tokenize(by) if len(w) > 1 and w not in ZH_STOPWORDS
             and not w.endswith("得")]
    if _OVERALL.intersection(words):
        return ""  # "谁家的模型表现最好": how well, overall; 模型 is what is picked
    return "|".join(words[-2:])


# how well something did overall ("表现被评为最好", "综合表现最强"; in a test of answers, "谁的回答
# 最好"): a standing by no one measure
_OVERALL = frozenset("表现 评为 被评 评价 综合 整体 总体 总的来说 回答 答案 作答".split())


# one thing ranked above another ("优于", "胜过"): in a standing, and in a verdict
_ABOVE = r"优于|胜过|胜出|超过|超越|强于|好于|领先于|更胜"
PICK_V = re.compile(rf"{_RANK_V.pattern}|最(?!新|近|后|初|早|终)|更(?:主流|普遍|常见|流行|受欢迎)|"
                     rf"{_ABOVE}|高于|\bmost\b|\bbetter\b|\boutperform", re.I)
# a verdict setting rivals against each other, either way round ("Kimi…要显著优于豆包、智谱AI",
# "豆包不如Kimi")
BEATS_V = re.compile(rf"{_ABOVE}|不如|逊于|\bbetter than\b|\boutperform|\bbeat(?:s|en)?\b|"
                     r"\bahead of\b", re.I)
# where or on what occasion something was said needs the occasion (会上, 采访, an interview …);
# not where a word comes up in the articles ("分别出现在什么场合", "在什么场合被提到")
_OCCASION_Q = re.compile(r"(?<!出现在)(?<!出现于)什么场合(?!(?:下|中|里)?(?:被|出现))|哪个场合|"
                         r"在哪(?:里|儿)?(?:说|讲|表示|提出|透露)|"
                         r"(?:在|是在)(?:哪个|哪次|哪场|什么)会(?:上|议)|"
                         r"在什么(?:会|活动|大会|论坛)|(?:哪个|哪次|哪场|什么)(?:活动|会议|大会|论坛|场合)上|"
                         r"\bat what (?:event|occasion|conference)\b|"
                         r"\bat which (?:event|conference)\b|"
                         r"\bon what occasion\b|"
                         r"\bwhere did [^?]{1,60}\b(?:say|said|announce|make)\b", re.I)
_OCCASION_V = re.compile(r"会上|大会|论坛|峰会|发布会|开发者日|采访|专访|演讲|致辞|活动上|内部信|"
                         r"全员信|朋友圈|微博|直播|播客|分享|沙龙|年会|座谈|研讨会|交流时|"
                         r"艺术季|艺术节|电影节|博览会|展会|开幕式|颁奖|"
                         r"interview|conference|summit|forum|keynote|podcast|speech|"
                         r"speaking at|said at|\bpanel\b|\bfestival\b|\bexpo\b|\bwebinar\b",
                         re.I)
_AGE_Q = re.compile(r"多大年纪|几岁|多少岁|年龄(?:是|有)?多大|今年多大|年纪多大|\bhow old\b|"
                    r"\bwhat age\b|"
                    r"\bat (?:the|what) age\b", re.I)
_AGE_V = re.compile(r"\d+\s*岁|[一二三四五六七八九十]+岁|年龄|\d+ years old|\baged \d", re.I)
_AWARD_Q = re.compile(
    r"什么奖|哪些奖|获奖|奖项|\bwhat (?:award|prize)s?\b|\bwhich (?:award|prize)s?\b|"
    r"\b(?:won|win|wins) (?:any|an?) (?:award|prize)", re.I)
_AWARD_V = re.compile(r"奖|award|prize", re.I)
_ARCH_Q = re.compile(r"什么架构|哪种架构|架构是|模型架构|技术架构|基于什么(?:模型|架构|技术)|"
                     r"(?:什么|哪个|哪款)(?:基座|底座|基础)模型|"
                     r"\b(?:what|which) (?:model |network )?architecture\b|\barchitecture\b|"
                     r"\b(?:what|which) (?:base|underlying|foundation) models?\b", re.I)
_ARCH_V = re.compile(r"架构|transformer|diffusion|扩散模型|\bdit\b|\bmoe\b|混合专家|u-?net|"
                     # 基于 a model or a technique (not "基于基本的审美": on a sense of beauty)
                     r"基座|底座|基础模型|基于[^，,。]{0,15}(?:模型|架构|技术|框架|算法)|"
                     r"architecture|\bbased on\b|\bbuilt on\b", re.I)
_SPEC_Q = re.compile(r"分辨率|帧率|\bresolution\b|\bframe rate\b|\bfps\b", re.I)
_SPEC_V = re.compile(r"分辨率|帧率|\d{3,4}\s*[pP](?![A-Za-z])|\d\s*[kK](?![A-Za-z])|"
                     r"\d+\s*(?:fps|帧)|resolution|frame rate", re.I)  # 高清 (HD) is no value

# an attribute the industry asks about, as a question and as a sentence says it: whether a model
# is open source, free, available abroad, listed, profitable ("Is Persona Hub open source?")
_FOREIGN = r"(?:海外|国外|境外)"
_ABROAD_ELSE = r"出海|全球用户|\babroad\b|\boutside (?:of )?china\b"
_ABROAD = rf"{_FOREIGN}|\boverseas\b|{_ABROAD_ELSE}"
# …as a question asks it: not a foreign firm the question only describes ("国外那家做AI视频的",
# "the overseas video startups")
_ABROAD_Q = (rf"{_FOREIGN}(?!的?(?:那|这|一)?[家个款位些])"
             r"(?!的?(?:AI|[A-Za-z]+)?\s*(?:视频|生成|大模型|模型)*(?:公司|企业|厂商|玩家|同行|"
             r"对手|创业公司|大厂|巨头|网站|平台|产品|工具|应用))|"
             r"\boverseas\b(?! (?:[\w-]+ ){0,2}(?:startups?|companies|firms|players|rivals"
             rf"|competitors|labs?|sites?|websites|platforms|tools|products|apps|giants)\b)|"
             rf"{_ABROAD_ELSE}")
_ATTRIBUTES = (
    re.compile(r"开源|闭源|open[- ]?sourced?|open[- ]weights?|closed[- ]source", re.I),
    re.compile(r"免费|收费|付费|付钱|花钱|\bfree\b|\bpaid\b|\bpay\b|(?<!in )\bcharges?\b|"
               r"\bcharging\b|"
               r"\bsubscription\b", re.I),
    # "available globally"; not "globally" alone ("how well training went globally")
    re.compile(_ABROAD_Q + r"|\b(?:available|launch(?:ed|es)?|released?|sold|expand(?:ed|s)?)\b"
               r"[^.?]{0,30}?\b(?:international(?:ly)?|global(?:ly)?)\b", re.I),
    re.compile(r"上市|\bipo\b|\bpublicly listed\b|\bgo(?:ing|es)? public\b", re.I),
    re.compile(r"盈利|亏损|赚钱|\bprofit(?:able|s)?\b|\bbreak even\b", re.I),
)
_ATTRIBUTE_V = (
    _ATTRIBUTES[0],
    re.compile(r"免费|收费|付费|会员|灵感值|[\d十百千万亿][余多]?\s*元|价格|定价|\bfree\b|"
               r"\bpaid\b|\bprice", re.I),  # 元 after a figure ("十余元"): 混元 is a name
    re.compile(_ABROAD + r"|\binternational(?:ly)?\b|\bglobal(?:ly)?\b", re.I),
    _ATTRIBUTES[3], _ATTRIBUTES[4],
)

# a period a number question names: its sentence must name it too
_YEAR_IN_Q = re.compile(r"((?:19|20)\d\d)\s*年?")
# the year after the one named ("2023年…那第二年涨到多少"): a figure of that next year
_NEXT_YEAR = re.compile(r"第二年|次年|翌年|下一年|\b(?:the )?(?:next|following) year\b|"
                        r"\ba year later\b", re.I)
# a time, not a counted thing ("那第二年涨到多少": not a number of 第二年)
_TIME_WORD = re.compile(r"第.年|次年|翌年|今年|去年|明年|前年|后年|当年|同年|下一年|.?.季度|.半年|"
                        r"(?:十[一二]?|[一二三四五六七八九])月份?|年初|年末|年底|年中|月初|月底|月末")
_MONTH_IN_Q = re.compile(r"(?<![\d一二三四五六七八九十])"
                         r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月份?|\b(January|February|March|April|June|July|August|September"
                         r"|October|November|December|(?:"
                         + "|".join(m.capitalize() for m in _MONTH_SHORT.split("|"))
                         + r")(?![\w-]|\.?\s+[A-Z]))\b\.?|\b(?:in|of|since|until|for) "
                         rf"((?i:may|{_MONTH_SHORT}))\b")
# (an abbreviation, "Oct visits", "traffic in Sept", and not a name's first word: Jan Leike)
# an English month name right before a year ("December 2024")
_MONTH_BEFORE = re.compile(rf"\b(?:{'|'.join(m.capitalize() for m in _MONTHS)})\s*$")
_CHINESE_MONTHS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
_NUMBER_Q = re.compile(r"多少|多大(?!年纪)|(?<![哪那这])几[个家款次倍成]|"
                       r"\bhow (?:many|much|big|large)\b|"
                       r"\bwhat (?:was|is|were) (?:the )?(?:[\w'’]+ ){0,5}(?:traffic|size|number|"
                       r"share|revenue|count|users|mau|actives)\b", re.I)

# a count of a named thing: "多少活跃用户", "月活有多少", "how many paying subscribers"
_COUNT_AFTER = re.compile(r"(?<!或)多少(?!有些|有点|有一些|带|也|还|会)"
                          r"(人次|个|款|位|名|家|次|部|集|篇|项|种|条)?"
                          r"([\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z ]{0,11})")
_COUNT_BEFORE = re.compile(r"([\u4e00-\u9fffA-Za-z0-9 ]{1,16}?)(?:加起来|总共|一共|合计|累计|大概|"
                           r"大约|到底|究竟|现在|目前|如今)?(?:有|是|为|达到|达)?(?:多少|多大)"
                           r"(?=\s*[？?。，,！!]|\s*$)")
_COUNT_FILLER = frozenset("现在 目前 如今 当前 每天 每月 每年 一天 一共 总共 合计 累计 加起来 "
                          "起来 大概 大约 大致 差不多 具体 实际 到底 究竟 最后 最终 最新 最多 "
                          "最长 一次 能 会 可以 都 还 已经 了 "
                          "又 才 就 也 要 得 有 是 为 加 将 到 达 达到 涨 跌 下跌 上涨 增长 "
                          "涨到 涨至 增至 增长到 增加到 升至 升到 上升到 提升到 降至 降到 跌至 "
                          "跌到 下降到 减少到 成长 成长到 成长至 增加 上升 攀升 攀升至 攀升到 "
                          "减少 下降 花 花费 需要 需 消耗 生成 推出 拿出 发布 "
                          # reaching a figure, said colloquially ("月活从多少做到了多少")
                          "做到 做到了 冲到 冲上 飙到 飙升 飙升至 突破 突破了".split())
# orders of magnitude ("多少亿"): how big the figure is, not what it counts
_MAGNITUDES = frozenset("万 十万 百万 千万 亿 十亿 百亿 千亿 万亿".split())
_PRONOUN = re.compile(r"[那这]?(?:它|他|她|它们|他们|她们|其)|[那这]个?")
_COMPARING = frozenset("比 相比 比起 比起来 起来 比较 对比 相较 较".split())
_PERCENT_Q = re.compile(r"百分之(?:多少|几)|百分比(?:是|有)?多少|占比(?:是|有)?多少|"
                        r"(?:多少|几)个?百分点|"
                        r"\b(?:what|which) (?:[\w-]+ ){0,2}percentage\b|"
                        r"\bby how many percent(?:age points)?|"
                        r"\b(?:in|as a) percent(?:age)?\b|\bwhat percent\b",
                        re.I)
# how many of something is spent, ending the question ("一张图要扣几个灵感值?"): 几 with a verb of
# spending before it asks a number, not "a few"
_JI_SPENT = re.compile(r"(?:扣|花|花费|要|需要|需|消耗|耗费|耗|用掉|用|得)(?:掉|了)?几"
                       r"(?:个|次|张|条|点)([\u4e00-\u9fff]{1,6}?)[吗呢呀啊]?\s*[？?]?\s*$")
_JI_LAST = re.compile(r"(?<![哪那这])几(次|个|家|款|倍|位|名|部|集|年|天|周|岁|条|项|种)[吗呢呀啊]?"
                      r"\s*[？?]?\s*$")  # not 哪几位: which ones
# (how much of a thing: "how much synthetic data"; not how much more, cheaper, bigger)
_EN_COUNT = re.compile(r"\bhow (?:many|much(?! (?:more|less|better|worse|[a-z]+er)\b)) "
                       # (or the article's own Chinese word: "how many 灵感值")
                       r"((?:[a-z][a-z0-9'-]* ){0,2}[a-z][a-z0-9'-]*|[\u4e00-\u9fff]{1,8})", re.I)
# "the number of paying users", "Kimi's monthly active user count"
_EN_NUMBER_OF = re.compile(r"\b(?:number|count) of ((?:[a-z][a-z'-]* ){0,2}[a-z][a-z'-]*)", re.I)
_EN_X_COUNT = re.compile(r"(?:'s|’s|\bthe|\bits|\btheir) ((?:[a-z][a-z'-]* ){0,2}?[a-z][a-z'-]*) "
                         r"(?:count|numbers)\b", re.I)
_EN_AUX = frozenset("is are was were do does did has have had will would can could may might "
                    "does did in on at of for to from by with per".split())
_EN_OF_GROUP = re.compile(r"\bhow many of ([^?]{1,40}?)(?= (?:are|is|were|was|do|does|did|"
                          r"have|has|had|will|would|can|could|say|said)\b|[?,]|$)", re.I)
_EN_PARTITIVE = frozenset("the these those them its their all six five four three two ten "
                          "seven eight nine".split())
# nouns too general to say what is counted ("how much content", "how much output"): any
# figure of the things the article counts (videos, images) answers them
_EN_VAGUE = frozenset("content output material materials stuff things work".split())
_EN_SCORE = re.compile(r"\bwhat (score|ranking|rank|percentage|market share)s?\b", re.I)
_EN_UNITS = {"years": "年", "months": "月", "weeks": "周", "days": "天", "times": "次",
             "episodes": "集", "percentage": "%", "percent": "%"}
# measure words: those counting things, then time, times and per cent
_THING_MEASURES = frozenset("集 款 部 篇 家 位 名 个 项 种 条".split())
_MEASURES = _THING_MEASURES | frozenset("年 天 秒 个月 月 周 次 倍 岁 %".split())
# measure words of flat and single things (张 of pictures, 幅 of paintings, 件 of items),
# whose "number of" (张数) asks a figure in them
_SHEET_MEASURES = frozenset("张 幅 件 台 本 只 段".split())

_DATES = re.compile(rf"(?:19|20)\d\d\s*年?|\d{{1,2}}\s*(?:[—–\-~]\s*\d{{1,2}}\s*)?[月日号]|"
                    rf"\d0\s*年代|(?<![A-Za-z0-9])[1-4]D(?![A-Za-z0-9])|"  # 90年代, 3D: no counts
                    rf"\b(?:{_MONTH_NAMES})\b", re.I)
# once dates are gone, a digit is a figure, and so is a Chinese numeral with what it counts (九位)
# (a lone 一个/一款/一次 is mostly the article "a"/"once": "推出了一个名为…的生成器")
# (零一万物 is a name, not ten thousand)
_FIGURE = re.compile(r"\d|(?<!零)(?!一[位个家款名次部项])[一二两三四五六七八九十百千万]+[余多]?"
                     r"(?:位|个|家|款|名|次|倍|部|项|亿|万|元)")

LOOK_BACK = 120  # characters before a sentence where its subject may be named
LOOK_AHEAD = 30  # …and after it: a quote's speaker ("“再过三年……”李开复说")
# a figure the question states ("0.0008元", "6500万", "5秒"): the figure and its unit character
_GIVEN = re.compile(r"\d+(?:\.\d+)?\s*(?:[%％]|[^\d\s，,。？?、；;！!（）()]?)")
_QUOTE = re.compile(r"[“”「」\"]")  # a quote: its speaker may be named right after it
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")


@dataclass(frozen=True)
class Wanted:
    # day | month | when (a month or a year) | year | money | duration | headcount | school |
    # sanction | place | age | award | spec | name | role | period | count | plan | …
    kind: str
    detail: str = ""  # money: revenue/funding/…; period: "2024" or "10月"; count: the thing
    thing: str = ""  # period: the thing counted in it, when the question says ("月活")
    # count and thing: "|"-separated words, any of which may name the thing ("活跃|用户")
    unit: str = ""  # the measure word the question counts in (多少位导演 → 位, 多少人次 → 次)


_WH_CONTRACTION = re.compile(r"\b(what|who|where|when|how|which|that|it|there)['’]s\b", re.I)


# a label the question quotes ("哪几家会变成“龙”", "which … end up a 'dragon'"): the member is
# the one the text gives that label, named in the sentence that uses it
_LABEL = re.compile(r"[“「‘]([^”」’]{1,8})[”」’]|(?<!\w)['\"]([^'\"]{1,16})['\"](?!\w)")


# what a member is said to become ("哪几家会变成龙", "which … would turn into a dragon"): a
# label, as if quoted: only a member named where the text uses it answers
_BECOME = re.compile(r"(?:变成|变为|成为|成了)([\u4e00-\u9fff]{1,4}?)(?:[了呢吗吧]|[？?，,。]|$)|"
                     r"\b(?:turn(?:s|ed)? into|becom(?:e|es|ing)|became|end(?:s|ed)? up(?: as)?)"
                     r" (?:an? |the )?([a-z]+\b|[\u4e00-\u9fff]{1,4})"
                     r"(?! (?:of|in|on|at|to|for|by|with)\b)",
                     re.I)


def _labels(question: str) -> str:
    quoted = [m.group(1) or m.group(2) for m in _LABEL.finditer(question)]
    become = [m.group(1) or m.group(2).lower() for m in _BECOME.finditer(question)]
    return "|".join(dict.fromkeys(quoted or become))


def _labelled(lowered: str, label: str) -> bool:
    """Whether a sentence uses the label: a one-character label only in quotes (“龙”)."""
    if len(label) > 1:
        return label.lower() in lowered
    return any(f"{a}{label}{b}" in lowered for a, b in ("“”", "‘’", "「」", '""', "''"))


def _written_out(question: str) -> str:
    """English question-word contractions written out ("What's the size" → "What is the
    size") and English words in a Chinese question spaced off (``spaced_scripts``), so that
    every pattern reads one form."""
    return _WH_CONTRACTION.sub(r"\1 is", spaced_scripts(question))


def _asked_year(question: str) -> re.Match[str] | None:
    """The year a question asks about: of several ("gave 2023 and 2024 sizes — what's its
    projection for 2025?"), the one in the last clause that asks something."""
    years = list(_YEAR_IN_Q.finditer(question))
    if len({y.group(1) for y in years}) > 1:
        clauses = [c for c in _PREMISE_BREAK.split(question) if ASKING.search(c)]
        asked = next((y for c in reversed(clauses) for y in [_YEAR_IN_Q.search(c)] if y), None)
        if asked is not None:
            return asked
    return years[0] if years else None


def wanted(question: str) -> Wanted | None:
    """The specific kind of answer the question asks for, if it asks for one."""
    question = _written_out(question)
    if _OTHERS_Q.search(question) and _WHO_OR_WHICH.search(question):
        # "besides X and Y, who else …": someone else named (a person, when asked who)
        return Wanted("member", "person" if _WHO_Q.search(question) or _PEOPLE_Q.search(
            question) else "", _labels(question))
    if _REAL_NAME_Q.search(question):
        return Wanted("realname")
    called = _PERSON_NAME_Q.search(question)
    if called is not None:
        return Wanted("name", "person", next(g for g in called.groups() if g).lower())
    if _WHO_Q.search(question):
        for number, role in enumerate(_ROLES):
            if role.search(question):
                return Wanted("role", str(number))
    if _MARKET_Q.search(question):  # "2025年市场规模多大": an amount, of that year
        year = _asked_year(question)
        now = "now" if year is None and _NOW_Q.search(question) else ""
        asked = str(int(year.group(1)) + (1 if _NEXT_YEAR.search(question) else 0)) \
            if year else now  # "2023年市场多大? 那第二年呢": 2024
        return Wanted("market", asked, _market_of(question))
    for kind, pattern in (("day", _DAY_Q), ("year", _YEAR_Q), ("money", _MONEY_Q),
                          ("duration", _DURATION_Q), ("headcount", _HEADCOUNT_Q),
                          ("month", _MONTH_Q), ("when", _WHEN_Q), ("school", _SCHOOL_Q),
                          ("sanction", _SANCTION_Q),
                          ("place", _PLACE_Q), ("country", _COUNTRY_Q), ("age", _AGE_Q),
                          ("award", _AWARD_Q),
                          ("spec", _SPEC_Q), ("name", _NAME_Q), ("name", _PRODUCT_Q),
                          ("stock", _STOCK_Q),
                          ("architecture", _ARCH_Q), ("rank", _RANK_Q), ("pick", PICK_Q),
                          # (which partner before a plan: "which hospital has X partnered
                          # with for its plan to build AI doctors" asks the hospital)
                          ("occasion", _OCCASION_Q), ("partner", _PARTNER_Q), ("plan", _PLAN_Q),
                          ("change", _CHANGE_Q), ("ratio", _RATIO_Q),
                          ("response", _RESPONSE_Q), ("platform", _PLATFORM_Q),
                          ("version", _VERSION_Q), ("score", _SCORE_Q),
                          ("team", _TEAM_Q), ("career", _CAREER_Q), ("tool", _TOOL_Q),
                          ("organizer", _ORGANIZER_Q), ("course", _COURSE_Q),
                          ("trend", _TREND_Q), ("improved", _IMPROVED_Q),
                          ("member", _MEMBER_Q)):
        if pattern.search(question):
            if kind == "name" and any(role.search(question) for role in _ROLES) and \
                    not _THING_NAME.search(question):
                return Wanted("name", "person")  # "月之暗面的创始人叫什么名字"
            if kind == "pick":  # by what: the standing must be about it ("融资金额最多")
                return Wanted(kind, thing=_pick_by(question))
            if kind == "money":
                amount = next((name for name, words in _AMOUNTS if words.search(question)), "")
                if amount == "valuation" and _UNIT_WORTH.search(question):
                    amount = "price"  # what one credit is worth: its price, not a valuation
                medium = next((name for name, words in _MEDIA if words.search(question)), "")
                return Wanted(kind, amount, medium if amount == "price" else "")
            if kind == "member":
                return Wanted(kind, thing=_labels(question))
            return Wanted(kind)
    if _LONGER_Q.search(question):  # "can it make clips longer than two minutes": its limit
        return Wanted("duration")
    number_q = bool(_NUMBER_Q.search(question))
    for number, attribute in enumerate(_ATTRIBUTES):
        if attribute.search(question) and not number_q:
            return Wanted("attribute", str(number))
    if number_q:
        year = _YEAR_IN_Q.search(question)
        if (year or _MONTH_IN_Q.search(question)) and _ROSE_OR_FELL_BY.search(question):
            return Wanted("change")  # "9月的访问量比八月份跌了多少": by how much, not a level
        if year and not _MONTH_IN_Q.search(question[year.end():]) and not _MONTH_BEFORE.search(
                question[:year.start()]):  # ("2024年12月", "December 2024": the month)
            asked_year = int(year.group(1)) + (1 if _NEXT_YEAR.search(question) else 0)
            return Wanted("period", str(asked_year), _period_thing(question), _unit(question))
        month = _MONTH_IN_Q.search(question)
        if month:
            digits, english = month.group(1), month.group(2) or month.group(3)
            number = (int(digits) if digits.isdigit() else _CHINESE_MONTHS.index(digits) + 1) \
                if digits else next(at for at, name in enumerate(_MONTHS, start=1)
                                    if name.startswith(english.lower()[:3]))
            return Wanted("period", f"{number}月", _period_thing(question), _unit(question))
    thing = _active(question, counted(question))
    if thing == "倍" and _TWO_QUANTITIES.search(question):
        return Wanted("multiple")  # "图片数量是视频数量的几倍": computed from the two figures
    if thing == "倍":  # "跟ChatGPT比差几倍": a multiple or a fraction of it (1/400)
        return Wanted("ratio")
    if _LOWER_THAN.search(question) or _only_change(thing):
        return Wanted("change")  # "9月流量多少,掉了多少": by how much it fell, not a count of 掉
    if thing == "%":  # a share of what ("what percentage of Volcano Engine's revenue")
        return Wanted("count", thing, _share_of(question), _unit(question))
    return Wanted("count", thing, unit=_unit(question)) if thing else None


# what a percentage is a share of, when the question says whose: "percentage of Volcano
# Engine's revenue" → revenue, "火山引擎的收入里有百分之多少" → 收入
_SHARE_OF = re.compile(r"\b(?:percent(?:age)?|share|proportion) of (?:the )?"
                       r"(?:[\w.-]+ ){0,3}?[\w.-]+(?:'s|’s) ([a-z]+)\b|"
                       r"(收入|营收|营业额|用户|流量|访问量|销量|份额)(?:中|里|当中)?(?:有|占)?"
                       r"(?:百分之|多少比例|几成)", re.I)


def _share_of(question: str) -> str:
    found = _SHARE_OF.search(question)
    return (found.group(1) or found.group(2)).lower() if found else ""


# December said as the year's last month ("2024年最后一个月,国内九位导演…")
_LAST_MONTH = re.compile(r"年(?:的)?最后一个?月|\blast month of (?:the|that|this) year\b", re.I)

# months written as a span: "1—9月", "1-9月", "1至9月"
_MONTH_SPAN = re.compile(r"(?<!\d)(\d{1,2})\s*(?:月\s*)?[—–\-~～至到]\s*(\d{1,2})\s*月")

_DAILY = re.compile(r"日活|日均活跃|每天[^，,。？?]{0,6}活跃|\bdaily (?:actives?|users?)\b|"
                    r"\bdau\b", re.I)
_MONTHLY = re.compile(r"月活|月均活跃|每月[^，,。？?]{0,6}活跃|\bmonthly (?:actives?|users?)\b|"
                      r"\bmau\b", re.I)


def _only_change(thing: str) -> bool:
    """Whether a counted "thing" is only a rise or a fall (掉, 涨): a change is asked."""
    return bool(thing) and all(_RISE_OR_FALL.fullmatch(word) for word in thing.split("|"))


def _period_thing(question: str) -> str:
    """What a figure of a period counts; when jieba hid it (12月|月|活涨), the shorthand asked
    (月活, 日活)."""
    thing = _active(question, counted(question))
    if _only_change(thing) or thing == "倍":
        thing = ""  # "9月流量…掉了多少": by how much it fell (a change), not a figure of 掉;
        #             "…跟ChatGPT比差几倍": a multiple of it
    if not thing:
        daily, monthly = bool(_DAILY.search(question)), bool(_MONTHLY.search(question))
        return "日活" if daily and not monthly else "月活" if monthly else ""
    return thing


def _active(question: str, thing: str) -> str:
    """Users counted daily (日活) are not users counted monthly (月活): a count of daily active
    users is of 日活 alone."""
    if thing and (_PEOPLE.search(thing) or "活跃" in thing or "active" in thing.lower()):
        daily, monthly = bool(_DAILY.search(question)), bool(_MONTHLY.search(question))
        if daily and not monthly:
            return "日活"  # (monthly users are also written 用户, 活跃用户: left as asked)
    return thing


_CLAUSES = re.compile(r"[，,、;；&]|——|—|–|\s-\s|\band\b|以及|并且|另外|还有", re.I)


# a terse, search-box query ("o1 release date", "花满渚 片长", "智谱 中标 金额") asks no question
# in words: it asks for the value its last noun names, as the full question would
# (ending, the question it stands for, whether the ending goes: a date's noun does — "开放时间"
# asks when it opens, and 开放 is the event the date must be of)
_TERSE_VALUES = (
    (re.compile(r"(?:时间|日期|时间点)$"), "{}是什么时候", True),
    (re.compile(r"(?:金额|估值|融资额|价格|售价|定价|报价|费用|成本|收费|营收|收入)$"),
     "{}是多少钱", False),
    (re.compile(r"(?:片长|时长)$"), "{}是多长", False),
    (re.compile(r"(?:用户数|人数|数量|员工数|月活|日活|销量|播放量|下载量|参数量|访问量|流量)$"),
     "{}有多少", False),
    (re.compile(r"\s*\bdates?$", re.I), "when was {}", True),
    (re.compile(r"\b(?:valuation|price|pricing|cost|funding|revenue|fees?)$", re.I), "what is {}",
     False),
    (re.compile(r"\b(?:length|duration|runtime)$", re.I), "how long is {}", False),
    (re.compile(r"\b(?:headcount|employees|users|subscribers|views|downloads|parameters|traffic|"
                r"visits|mau|dau)$", re.I), "how many {}", False),
)


# a noun phrase, then what is asked of it: "Zhipu latest funding round — how much?"
_TAIL_ASK = re.compile(r"(?P<head>[^—–:：,，]+?)\s*(?:[—–:：,，]|\s-)\s*"
                       r"(?P<ask>how (?:much|many|long)|when"
                       # "Kimi's MAU — what number do the articles give?": what it is
                       r"|(?P<what>what (?:exact )?(?:number|figure)s?)\b[^?]*)$", re.I)
# a search-box query's qualifier after the noun it asks the value of: a prepositional phrase
# of a few words, or a year or month
_QUALIFIER = re.compile(r"\s+(?:(?:for|in|of|per|at|on|by|from)\s+[\w'’.-]+(?:\s+[\w'’.-]+){0,3}"
                        r"|(?:'|’)?\d{2,4}|(?:19|20)\d\d\s*年|\d{1,2}\s*月"
                        rf"|(?:in\s+)?(?:{_MONTH_NAMES}|{_MONTH_SHORT})\.?)$",
                        re.I)
# "What are Kling AI's monthly active users?", "what was the traffic of Runway in September":
# a count asked by its noun, as "how many …" asks it
_WHAT_IS_COUNT = re.compile(
    r"^\s*what(?:'s|’s|\s+is|\s+are|\s+was|\s+were)\s+(?P<rest>(?:[^?？]*\s)?"
    r"(?P<noun>headcount|employees|users|subscribers|views|downloads|parameters|traffic|visits|"
    r"mau|dau)(?:\s+(?:of|for|in|on|at)\s[^?？]*)?)\s*[?？]?\s*$", re.I)


def terse_filled(question: str) -> str:
    """A terse query written out as the question it stands for ("o1 release date" → "when was
    o1 release", "豆包 开放时间" → "豆包 开放是什么时候"), and a count asked by its noun as
    "how many" asks it ("What are Kling's monthly active users?" → "how many monthly active
    users of Kling?"); any other question as it is."""
    counted = _WHAT_IS_COUNT.match(question)
    if counted is not None:
        rest = re.sub(r"^(?:the|its|their)\s+", "", counted.group("rest"), flags=re.I)
        owner, _, counted_thing = rest.rpartition("'s ") if "'s " in rest else \
            rest.rpartition("’s ")
        return (f"how many {counted_thing} of {owner}?" if owner and counted_thing
                else f"how many {rest}?")
    bare = question.strip().rstrip("。.!！?？ ")  # (a question mark alone asks nothing more)
    tail = _TAIL_ASK.match(bare)  # "Zhipu's latest funding round — how much?"
    if tail is not None and not ASKING.search(tail.group("head")):
        if tail.group("what"):
            return terse_filled(f"what is {tail.group('head')}?")
        return f"{tail.group('ask')} is {tail.group('head')}?"
    if ASKING.search(bare):
        return question
    parts = [part.strip() for part in _CLAUSES.split(bare) if part.strip()]
    if len(parts) > 1:  # two queries in one ("o1 launch date & API price"): each asks its own
        filled = [terse_filled(part) for part in parts]
        if all(f != part for f, part in zip(filled, parts, strict=True)):
            return ", ".join(filled)
    # what the value is of, after its noun: "Sora monthly price for users", "market size for
    # 2025", "访问量 2024年"
    qualified = _QUALIFIER.search(bare)
    head = bare[:qualified.start()] if qualified is not None else bare
    after = qualified.group(0) if qualified is not None else ""
    for ending, asked, drop in _TERSE_VALUES:
        found = ending.search(head)
        if found is None:
            continue
        before = head[:found.start()].strip()
        if asked.startswith("how many") and before:  # the noun counted, then whose
            return f"how many {found.group(0).strip()} of {before}{after}"
        return asked.format((before if drop else head) + after)
    return question


def wants(question: str) -> list[Wanted]:
    """Every kind of answer the question asks for: the whole question's, and each clause's
    that adds another kind ("《…》一共有多少集,什么时候上线的?": a count of 集 and a month).
    A terse query asks for the value its last noun names (``terse_filled``)."""
    question = terse_filled(question)
    found = [w for w in [wanted(question)] if w is not None]
    spelled = _written_out(question)  # (as ``wanted`` reads it: "智谱的rationale是什么")
    if _REASON_Q.search(spelled) and not _VIEW_REASON.search(spelled):
        found.append(Wanted("reason"))
    # (a dictated question breaks its clauses with a pause, written as a space: "清影 一天最多
    # 能生成几次 就是有没有次数上限")
    for clause in (c for part in _CLAUSES.split(question) for c in SPOKEN_PAUSE.split(part)):
        want = wanted(clause) if clause.strip() else None
        if want is not None and all(w.kind != want.kind for w in found) and not (
                want.kind == "period" and any(w.kind == "market" for w in found)):
            found.append(want)  # (a market's size that year is the year's figure)
    if not found and any(checks_claim(c) for c in _PREMISE_BREAK.split(question)):
        asked = _claim_asked(question)  # "《…》一共有12集,对吗?": how many 集 it has
        if asked != question:
            return wants(asked)
    if _DERIVED.search(question):  # a figure to work out from the article's: not one it gives
        found = [w for w in found if w.kind not in _FIGURE_KINDS]
    return found


# a figure the asker wants worked out from the article's ("working back from its September
# visits and the drop, how many in August", "按…倒推", "as a percentage increase", "how many
# times faster"): the figures it is worked out from answer it
_DERIVED = re.compile(r"倒推|推算|换算|折算|折合|"
                      r"\bwork(?:ing|ed)? (?:it )?(?:back|out) from\b|\bback(?:ing)? (?:it )?out\b|"
                      r"\bderived?\b|\bimplied\b|\bin percentage terms\b|"
                      r"\bas a percentage (?:increase|decrease|change|rise|drop|fall|gain)\b|"
                      r"\bhow many times (?:faster|slower|bigger|larger|more|higher|as)\b", re.I)
_FIGURE_KINDS = frozenset("count period money ratio change multiple market duration "
                          "headcount".split())


# a figure a claim states, which a check of the claim asks for ("上千万美元", "12集", "三千多万",
# "65 million videos", "$2 billion"); not a year or a date
_CLAIM_FIGURE_ZH = re.compile(r"(?:上|近|约|超过|超|逾|达到|达)?(?:(?<![A-Za-z\d.])\d[\d.,]*|"
                              r"[一二两三四五六七八九十百千]+多?(?=\s*(?:万亿|亿|千万|百万|万|"
                              r"[个位家款部集次元倍岁名条项])))\s*(?:万亿|亿|千万|百万|万)?"
                              r"(?![\d年月日号])")
_CLAIM_FIGURE_EN = re.compile(r"(?:\b(?:more than|over|about|around|nearly|almost|roughly|"
                              r"some|only) )?(?P<money>\$\s?)?\b(?!(?:19|20)\d\d\b)\d[\d.,]*"
                              r"(?:\s*(?:million|billion|thousand|trillion|m|bn|k)\b)?", re.I)
_MONEY_AFTER = re.compile(r"\s*(?:dollars?|yuan|rmb|usd)\b", re.I)


def _claim_asked(question: str) -> str:
    """A claim whose point is a figure, with its figures asked for: "造成了上千万美元的损失" →
    "造成了多少美元的损失", "从三千多万涨到了将近八千万" → "从多少涨到了将近多少", "generated
    more than 65 million videos" → "generated how many videos". Its point is a figure when
    the claim ends on it (a few words after it at most); "考三家大模型的那道题问的是…" is about
    the test, not how many were tested, and is left as it is."""
    claim = _CHECKING.sub("", question).rstrip(" ,，?？。.!！")
    chinese = has_cjk(question)
    figures = list((_CLAIM_FIGURE_ZH if chinese else _CLAIM_FIGURE_EN).finditer(claim))
    if not figures:
        return question
    rest = claim[figures[-1].end():]
    if len(rest) > 8 if chinese else len(rest.split()) > 3:
        return question
    if chinese:
        return _CLAIM_FIGURE_ZH.sub("多少", claim) + "?"

    def asked(match: re.Match[str]) -> str:
        money = match.group("money") or _MONEY_AFTER.match(claim, match.end())
        return "how much" if money else "how many"

    return _CLAIM_FIGURE_EN.sub(asked, claim) + "?"


def asking_clause(question: str, want: Wanted) -> str:
    """The clause of the question that asks for ``want`` ("What is X called, and how does it
    compare with Y": the first), or the whole question when no one clause does."""
    clauses = [c for c in _CLAUSES.split(question) if c and c.strip()]
    if len(clauses) > 1:
        for clause in clauses:
            found = wanted(clause)
            if found is not None and found.kind == want.kind:
                return clause
    return question


# someone's view of a topic: "李彦宏对数据墙怎么看", "What did Kai-Fu Lee say about video models?"
_OPINION_ZH = re.compile(
    r"^(?P<who>.+?)(?:对于|对|就|关于)(?P<topic>.+?)(?:是)?(?:怎么看|如何看|怎样看|怎么评价|如何评价|"
    r"有什么看法|有何看法|的看法|的观点|持什么态度|什么态度|怎么说|说了什么|说过什么)|"
    r"^(?P<who2>.+?)(?:怎么|如何|怎样)(?:评价|看待)(?P<topic2>.+)|"
    # a yes/no about what someone thinks: "王廷轩认为AI会不会取代导演?"
    r"^(?P<who_yn>[^，,。？?]{2,12}?)(?:认为|觉得|预测|判断|预计)(?P<topic_yn>[^？?]*"
    r"(?:会不会|能不能|是不是|有没有|吗)[^？?]*)|"
    # whether someone spoke of a topic at all: "傅盛有没有谈到AI视频生成?"
    r"^(?P<who_yn2>[^，,。？?]{2,12}?)(?:有没有|是否|有无)(?:谈到|谈过|提到|提过|说到|说过|评论|"
    r"聊到|讲到|讲过)过?(?P<topic_yn2>[^？?]+)")
_OPINION_EN = re.compile(
    # (an adverb between: "say publicly about", "recently say about")
    r"\b(?:what|how) (?:did|does|do|has|have) (?P<who>.+?) (?:\w+ly )?(?:say|said|think|"
    r"believe|predict|argue|claim|comment|feel)s? (?:\w+ly |in public )?(?:about|of|on|"
    r"regarding) (?P<topic>[^?]+)|"
    r"\bhow (?:does|did|do) (?P<who2>.+?) (?:view|see|assess|regard|rate|evaluate) "
    r"(?P<topic2>[^?]+)|"
    r"^(?:what (?:is|was|are|were) )?(?P<who3>.+?)['’]s (?:view|opinion|take|stance|position|"
    r"attitude)s? (?:on|about|of|toward|towards) (?P<topic3>[^?]+)|"
    # a yes/no about what someone says: "Does Yang Zhilin say Moonshot will …?"
    r"^(?:does|did|do|has|have) (?P<who_yn>[^?]+?) (?:say|said|think|believe|expect|predict|"
    r"claim|argue|mention)s? (?:that )?(?P<topic_yn>[^?]+)|"
    # whether someone spoke of a topic at all: "Did Fu Sheng comment on AI video tools?"
    r"^(?:does|did|do|has|have) (?P<who_yn2>[^?]+?) (?:comment(?:ed)?|talk(?:ed)?|speak|spoken|"
    r"weigh(?:ed)? in) (?:on|about) (?P<topic_yn2>[^?]+)", re.I)


def opinion(question: str) -> tuple[str, str] | None:
    """(who, the topic) when the question asks for someone's view of a topic, else None."""
    asked = view_asked(question)
    return None if asked is None else (asked.who, asked.topic)


class ViewAsked(NamedTuple):
    who: str
    topic: str
    # a yes/no about what they say or think ("Does X say…", "X认为…会不会…"): its topic is the
    # claim, whose predicate a question words its own way ("sufficient" for 不够)
    yes_no: bool


def view_asked(question: str) -> ViewAsked | None:
    """Whose view of which topic the question asks, and whether as a yes/no, else None."""
    text = question.strip().rstrip("?？。.!！ ")
    for pattern in (_OPINION_ZH, _OPINION_EN):
        found = pattern.search(text)
        if found is not None:
            groups = {k: v for k, v in found.groupdict().items() if v}
            who = next(v for k, v in groups.items() if k.startswith("who"))
            # the clause that asks it, not the words a follow-up carries from the question
            # before it ("谭待 豆包 价格 作者怎么看…": the author's view)
            who = re.split(r"[。？?！!；;]", who.strip())[-1].strip() or who
            if re.search(r"[\u4e00-\u9fff]", who):
                who = who.split()[-1]
            topic = next(v for k, v in groups.items() if k.startswith("topic"))
            # (whether they spoke of a topic at all, who_yn2, needs the topic's words, not half
            # of them as a claim worded the question's own way)
            return ViewAsked(who.strip(), topic.strip(), "who_yn" in groups)
    return None


def role_of(who: str) -> re.Pattern[str] | None:
    """The role a view is asked of, when the question calls the speaker by it ("Runway's CEO",
    "百度的创始人"): the pattern of its words in any language."""
    return next((role for role in _ROLES if role.search(who)), None)


def role_beside(passages: Sequence[str], names: Sequence[str], role: re.Pattern[str]) -> bool:
    """Whether a sentence names one of ``names`` (a company) and the role: "Runway's CEO"
    said nothing where Runway's traffic is told with no CEO of it."""
    return any(role.search(sentence) and _names_one(sentence.lower(), names)
               for text in passages for sentence in (m.group(0) for m in _SENTENCE.finditer(text)))


def says_about(passages: Sequence[str], names: Sequence[str],
               topic: Sequence[Sequence[str]], half: bool = False) -> bool:
    """Whether some sentence names one of ``names`` (the person or body asked about) and it,
    with the sentence just before and after it, most words of the topic (more than half, each
    by any of its renderings: a question paraphrases, "一窝蜂" for what the article calls
    行业在卷). Farther text is another's view: a paragraph on 字节's video business before
    "据火山引擎总裁谭待介绍,…定价…" is not 谭待's view of ByteDance's video models."""
    lowered = [name.lower() for name in names]
    for text in passages:
        sentences = [m.group(0).lower() for m in _SENTENCE.finditer(text) if m.group(0).strip()]
        for at, sentence in enumerate(sentences):
            if not any(name in sentence for name in lowered):
                continue
            around = "".join(sentences[max(0, at - 1):at + 2])
            held = 2 * sum(any(form.lower() in around for form in forms) for forms in topic)
            if held > len(topic) or half and held == len(topic):
                return True
    return False


# Counted things Chinese business news writes in a short form without the noun: 月活 (monthly
# active users), 日活 (daily active users)
SHORT_FORMS = {"用户": ("月活", "日活"), "活跃用户": ("月活", "日活"),
               # a site's traffic is counted in visits (SimilarWeb's 访问量)
               "流量": ("访问量",), "访问量": ("流量",), "访问": ("访问量", "流量")}


def _unit(question: str) -> str:
    """The measure word right after 多少 ("多少位导演" → 位, "多少人次" → 次, "多少年会分化"
    → 年, whatever jieba makes of 年会), or ""."""
    after = _COUNT_AFTER.search(question)
    if after is None:
        return ""
    if after.group(1):
        return after.group(1)[-1]
    return after.group(2)[0] if after.group(2)[0] in _MEASURES else ""


def counted(question: str) -> str:
    """The thing a question asks a number of: its head word ("多少活跃用户" → 用户, "App的月活有
    多少" → 月活, "how many paying subscribers" → subscribers, "what score" → score); "" when it
    asks none. 几 is not read: it also means "a few" (几家厂商)."""
    if _PERCENT_Q.search(question):
        return "%"
    # ("the parameter count of o1": a count of parameters, not of o1)
    english = _EN_COUNT.search(question) or _EN_X_COUNT.search(question) \
        or _EN_NUMBER_OF.search(question)
    if english:
        latin: list[str] = []
        asked = english.group(1).lower().split()
        group = _EN_OF_GROUP.search(question)
        if asked[:1] == ["of"] and group:  # "how many of the six tigers": members of it
            asked = [w for w in re.findall(r"[a-z][a-z'-]*", group.group(1).lower())
                     if w not in _EN_PARTITIVE]
        for word in asked:
            if word in _EN_AUX:
                break
            latin.append(word.rstrip("'’"))  # "how many years' worth": years
        plural = [w for w in latin if w.endswith("s") or w in ("people", "children")]
        if (plural and re.match(r"how much\b", english.group(0), re.I)
                and plural[-1] == latin[-1] and not plural[-1].endswith("ss")):
            return ""  # "how much AI video products improve": a degree, not a count
        if plural and plural[-1] in _EN_UNITS:
            return _EN_UNITS[plural[-1]]  # "how many years" → a figure of 年
        # the noun phrase: any of its words may be how the article says it ("inspiration
        # points": 灵感值), and the whole of it ("monthly active users": 月活)
        phrase = latin[: latin.index(plural[-1]) + 1] if plural else latin
        return "" if phrase and phrase[-1] in _EN_VAGUE else " ".join(phrase)
    last = _JI_LAST.search(question)
    if last:  # "每天能免费生成几次?": 几 and a measure word ending the question ask a number
        return last.group(1)
    spent = _JI_SPENT.search(question)
    if spent:  # "要扣几个灵感值": how many of what is spent
        return spent.group(1)
    score = _EN_SCORE.search(question)
    if score:
        noun = score.group(1).lower().split()[-1]
        return _EN_UNITS.get(noun, noun)  # "what percentage" → a figure in %
    from index.tokenize import _jieba

    cut = _jieba().cut  # type: ignore[attr-defined]
    after = _COUNT_AFTER.search(question)
    if after:
        words: list[str] = [str(w) for w in cut(after.group(2)) if w.strip()]
        if words and words[0] in _MEASURES:
            return words[0]
        if words and words[0] in _MAGNITUDES:
            words = words[1:]  # "多少亿用户": users; "多少亿来着": a sum, nothing named
        head: list[str] = []
        for word in words:
            if word == "的" and head:
                head = []  # "好用的应用": the noun comes after 的
                continue
            if word in _COUNT_FILLER or word in ZH_STOPWORDS or not _CHINESE_WORD.fullmatch(word):
                break
            head.append(word)
        if head:  # "活跃|用户", "导演|拿出": any of them (which is the noun needs a tagger)
            return "|".join(dict.fromkeys([head[0], _joined_tail(head[:2])]))
    before = _COUNT_BEFORE.search(question)
    if before:
        # (a year's 年 kept off the verb after it: "2024年涨到了多少", not 年涨)
        words = [str(w) for w in cut(re.sub(r"(\d)年", r"\1年 ", before.group(1))) if w.strip()]
        while words and (words[-1] in _COUNT_FILLER or words[-1] in ZH_STOPWORDS):
            words.pop()  # "规模从多少涨到多少": neither 到, 涨 nor 多少 is the thing
        if words and len(words[-1]) == 2 and words[-1][1] == "数" and (
                words[-1][0] in _THING_MEASURES or words[-1][0] in _SHEET_MEASURES):
            return words[-1][0]  # "图片张数是多少": a figure in 张 (the number of sheets)
        if words and words[-1] in ("差", "相差", "差了", "差距", "比差"):
            words.pop()  # "时间相差多少": the difference of a figure, the thing is 时间
            #              (jieba's 比差 in "跟ChatGPT比差了多少")
            while words and words[-1] in _COMPARING:
                words.pop()  # "跟ChatGPT比起来差了多少": the figure compared, not 起来
            if len(words) > 1 and words[-2] in ("跟", "和", "与", "同"):
                del words[-2:]  # … nor ChatGPT, what it is compared with
            while words and _PRONOUN.fullmatch(words[-1]):
                words.pop()  # "那它跟ChatGPT比差了多少": its figure, the one asked before
        elif words and len(words[-1]) > 2 and words[-1].endswith("差"):
            words[-1] = words[-1][:-1]  # jieba's 时间差 in "等待时间差多少"
        if words and _NUMERAL.fullmatch(words[-1]) or len(words) > 1 and (
                words[-1] in _MEASURES and _NUMERAL.fullmatch(words[-2])):
            return ""  # "到2028年将达到多少", "前九个月从多少": a date or span, not the thing
        if before.group(0).rstrip().endswith("多大") and not (
                words and words[-1].endswith(("量", "数", "规模"))):
            return ""  # 差距/影响有多大: how big, not how many (参数量/市场规模有多大: a figure)
        if words and _FIGURE_WORD.fullmatch(words[-1]):  # the figure itself is no thing:
            #  "产业体量之预估数值" is a figure of 体量; "那个预测值" of what was asked before
            words.pop()
            while words and (words[-1] in _FIGURE_OF or words[-1] in ZH_STOPWORDS
                             or _PRONOUN.fullmatch(words[-1])):
                words.pop()
        if words and words[-1] in _USAGE:
            return ANY_FIGURE  # "可灵的用量多大": how much it is used, in whatever it counts
        if words and _CHINESE_WORD.fullmatch(words[-1]) and not _TIME_WORD.fullmatch(words[-1]):
            return _joined_tail(words)
    return ""


# nouns of how much a thing is used, which name nothing counted: the article counts it in what
# it is used for ("可灵的用量多大": 累计生成超6500万个视频), so any figure of it answers
_USAGE = frozenset("用量 使用量 使用规模 用量规模".split())
ANY_FIGURE = "量"  # the counted "thing" of such a question
_PERCENT_V = re.compile(r"[\d.]+\s*[%％]|百分之[一二三四五六七八九十百点]+")


# the nouns that name a figure itself ("预测值是多少", "具体数字是多少"), not a thing counted;
# and the words that say which figure ("远期预测", "之")
_FIGURE_WORD = re.compile(r"(?:预测|预期|预估|估计|目标|具体|实际)?(?:值|数值|数字|数额)")
_FIGURE_OF = frozenset("预测 预期 预估 估计 目标 具体 实际 远期 近期 中期 长期 短期 未来 最新 "
                       "最终 之 的".split())


_CHINESE_WORD = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z]+")
_NUMERAL = re.compile(r"[\d一二两三四五六七八九十百千]+个?")


def _joined_tail(words: list[str]) -> str:
    """The last word; when jieba left it a single character, the unknown compound it ends
    (月|活 → 月活) or the word it qualifies (用户|数 → 用户); a trailing 数/量 ("the number
    of") is dropped (参数量 → 参数, and jieba's 参|数量 too)."""
    tail = words[-1]
    before = words[-2] if len(words) > 1 else ""
    if tail == "数量" and len(before) == 1 and has_cjk(before):
        return before + "数"  # 参|数量: jieba's split of 参数|量
    if len(tail) == 1 and before and _CHINESE_WORD.fullmatch(before):
        return before if len(before) > 1 else before + tail
    if len(tail) > 2 and tail[-1] in "数量" and has_cjk(tail):
        return tail[:-1]  # 用户数 → 用户: "the number of" is said many ways (用户规模, 用户达)
    if tail in ("规模", "数量", "总量") and len(before) > 1 and has_cjk(before) \
            and before != "市场":
        return before  # 访客|规模 → 访客: how many visitors (a market's size is the market's)
    return tail


# a multiple asked of two quantities the question names ("A是B的几倍", "A比B多几倍"): the
# article need not give the multiple, its figures of the two are what it is computed from
_TWO_QUANTITIES = re.compile(r"(?:数量|规模|数|量|额)[^，,。？?]{0,6}(?:是|为)"
                             r"[^，,。？?]{1,20}的几倍|比[^，,。？?]{1,20}(?:多|大|高|快)了?几倍")

_VALUES = {"day": _DAY_V, "multiple": _FIGURE, "month": _MONTH_V, "when": _WHEN_V,
           "year": _YEAR_V,
           "money": _MONEY_V,
           "duration": _DURATION_V, "headcount": _HEADCOUNT_V, "school": _SCHOOL_V,
           "sanction": _SANCTION_V, "place": _PLACE_V, "age": _AGE_V, "award": _AWARD_V,
           "spec": _SPEC_V, "stock": _STOCK_V, "architecture": _ARCH_V, "rank": _RANK_V,
           "pick": PICK_V, "occasion": _OCCASION_V, "plan": _PLAN_V, "change": _CHANGE_V,
           "ratio": _RATIO_V, "response": _RESPONSE_V, "platform": _PLATFORM_V,
           "country": _COUNTRY_V, "version": _VERSION_V, "score": _SCORE_V,
           "partner": _PARTNER_V, "team": _TEAM_V, "organizer": _ORGANIZER_V,
           "course": _COURSE_V,
           "career": _CAREER_V, "trend": _FIGURE, "improved": _IMPROVED_V}


def sentences_of(texts: Iterable[str], ahead: int = LOOK_AHEAD) -> list[tuple[str, str]]:
    """(sentence, the text just before it and itself): a sentence's subject is often named
    a sentence earlier ("智谱…视频模型“清影”…。…用户生成一个5秒的片段,照样要等3~5分钟")."""
    found = []
    for text in texts:
        for match in _SENTENCE.finditer(text):
            if match.group(0).strip():
                found.append((match.group(0), text[max(0, match.start() - LOOK_BACK):
                                                   match.end() + ahead]))
    return found


def holds(want: Wanted, sentence: str, names: Sequence[str], context: str = "",
          things: Sequence[str] = (), elsewhere: Callable[..., bool] | None = None,
          given: Sequence[str] = (), changed: bool = False) -> bool:
    """Whether one sentence holds a value of the wanted kind about one of ``names`` (when
    there are any): named in the sentence, or in ``context`` around it unless the sentence
    names another subject (``elsewhere``: "以快手的可灵为例…5秒" is about 可灵, whatever the
    sentence before named); for a role, right before the role word. For a count, a figure and
    one of ``things`` (the counted thing's renderings). A value counts only when no other
    subject stands between the entity and it; ``given``: figures the question states itself,
    which answer nothing; ``changed``: a why asks why something rose or fell."""
    lowered = sentence.lower()
    if names and not _names_any(names, lowered):
        around = (context or sentence).lower()
        at = around.find(lowered)
        ahead = around[at + len(lowered):] if at >= 0 else ""
        quoted = bool(_QUOTE.search(sentence)) or ahead.lstrip()[:1] in ("”", "」", '"')
        speaker = quoted and any(name.lower() in ahead for name in names)  # "“…”李开复预测"
        if at >= 0 and not quoted:
            around = around[:at + len(lowered)]  # what follows is another sentence's
        if want.kind == "role" or (not speaker and elsewhere is not None
                                   and elsewhere(sentence)):
            return False
        if not _names_any(names, around):
            return False
    if want.kind == "role":  # the role of that entity: "月之暗面的CEO", "百度创始人"
        role = _ROLES[int(want.detail)]
        if not names or role is _DIRECTOR:
            return bool(role.search(sentence))
        return any(role.match(lowered, m.end() + k)
                   for name in names for m in _named_at(name, lowered)
                   for k in range(_ROLE_REACH + 1)
                   if not _ROLE_BREAK.search(lowered, m.end(), m.end() + k))
    if want.kind == "name" and want.thing:  # a name right after the person meant
        return any(_NAME_V.search(sentence, m.end(), m.end() + _NAME_REACH) is not None
                   or (elsewhere is not None and elsewhere(
                       sentence[m.end():m.end() + _NAME_REACH], kin=True, persons=True))
                   for noun in (things or [want.thing])
                   for m in re.finditer(re.escape(noun.lower()), lowered))
    if want.kind == "name":  # a name right after the entity (in this sentence)
        if not names:
            return bool(_NAME_V.search(sentence))
        # (read on past the reach, where a quoted name that opens within it closes)
        after = [re.split(r"[、;；]", sentence[m.end():m.end() + _NAME_REACH + 16])[0]
                 for name in names for m in _named_at(name, lowered)]
        person = want.detail == "person"  # else a person's name is no product's
        return any((found := _NAME_V.search(text)) is not None and found.start() < _NAME_REACH
                   or (elsewhere is not None and elsewhere(
                       text[:_NAME_REACH], kin=True, persons=person)) for text in after)
    if want.kind in ("member", "tool"):  # a member (a product, a maker) named beside it
        if want.kind == "member" and want.thing and things \
                and not any(_labelled(lowered, label) for label in things):
            return False  # not where the text gives the label the question quotes
        if elsewhere is not None and want.detail == "person":
            return elsewhere(sentence, kin=True, only_people=True)
        return elsewhere is None or elsewhere(sentence, kin=True)
    if want.kind == "realname":
        return bool(_REAL_NAME_V.search(sentence))
    if want.kind == "reason":  # a cause given in it, or in what follows it
        at = context.find(sentence) if context else -1
        return bool(_REASON_V.search(sentence if at < 0 else context[at:])
                    or changed and _REASON_THIS.search(sentence))
    spots = _values_at(want, _blank(given, sentence), things)
    if not spots or not names or elsewhere is None:
        return bool(spots)
    # the value is the entity's: no other subject between the entity (or the sentence's
    # start) and it ("可灵AI…累计生成超6500万个视频,腾讯混元…": the figure is not 混元's)
    mentions = [m.end() for name in names for m in _named_at(name, lowered)]
    for spot in spots:
        before = [end for end in mentions if end <= spot]
        if not elsewhere(sentence[max(before, default=0):spot]):
            return True
    return False


def _names_any(names: Sequence[str], lowered: str) -> bool:
    """Whether a (lower-cased) text names one of ``names`` (``_named_at``)."""
    return any(next(_named_at(name, lowered), None) is not None for name in names)


def _named_at(name: str, lowered: str) -> Iterator[re.Match[str]]:
    """Where a (lower-cased) sentence names ``name``: a Latin name as a word of its own
    ("baichuan" is not named by the class BaiChuanWorker; a footnote's digit may follow:
    "PixelDance1"; "o1-mini" is another model than o1)."""
    pattern = re.escape(name.lower())
    if name[:1].isascii() and name[:1].isalnum():
        pattern = rf"(?<![a-z0-9]){pattern}"
    if name[-1:].isascii() and name[-1:].isalnum():
        pattern = rf"{pattern}(?![a-z]|-[a-z])"
    return re.finditer(pattern, lowered)


def _blank(given: Sequence[str], sentence: str) -> str:
    """The sentence without the figures the question itself states ("豆包的价格是0.0008元,
    那Kimi呢": 0.0008元 is the premise, not an answer), each replaced by spaces."""
    for figure in given:
        sentence = sentence.replace(figure, " " * len(figure))
    return sentence


def _values_at(want: Wanted, sentence: str, things: Sequence[str]) -> list[int]:
    """Where the sentence gives a value of the wanted kind ([] when it gives none)."""
    lowered = sentence.lower()
    undated = _DATES.sub(lambda m: " " * len(m.group(0)), lowered)
    if want.kind == "period":
        if want.detail.endswith("月"):
            month = int(want.detail[:-1])
            named = want.detail in sentence or _MONTHS[month - 1] in lowered or (
                month == 12 and bool(_LAST_MONTH.search(sentence))) or any(
                int(m.group(1)) <= month <= int(m.group(2))
                for m in _MONTH_SPAN.finditer(sentence))  # "1—9月" names January
        else:
            named = want.detail in sentence
        if not named or (want.thing and things and not _counts(want, lowered, things)):
            return []
        if want.thing == "%":  # a percentage of that month or year: a figure in per cent
            return _unit_spots("%", undated)
        return [m.start() for m in _FIGURE.finditer(undated)]
    if want.kind == "count":
        if want.detail == "%" and want.thing and things:  # a share of revenue, beside it
            near = _thing_spots(lowered, things)
            return [at for at in _unit_spots("%", undated) if _beside(near, at)]
        if want.detail in _MEASURES:  # "多少年": a figure of years, "十年", "30年"
            return _unit_spots(want.detail, undated)
        # a figure its measure word ties to another noun counts that noun ("10个灵感值")
        anything = want.detail == ANY_FIGURE  # (a use counted in whatever it is used for)
        of_other = set() if anything else {i for m in _COUNT_OF.finditer(undated) if things
                    and not any(undated.startswith(t.lower(), at) for t in things
                                for at in (m.start("noun") - 1, m.start("noun")))
                    for i in range(m.start(), m.start("noun"))}
        in_unit = [spot for spot in _unit_spots(want.unit, undated)
                   if spot not in of_other] if want.unit else []
        if in_unit:  # a figure in the question's measure word: "多少位导演" → 九位导演;
            #          one counting things where the thing is named ("多少家医院": 六家初创
            #          公司 counts no hospitals; "再过多少年会分化": 三年 counts years)
            return in_unit if (anything or not things or want.unit not in _THING_MEASURES
                               or _thing_spots(lowered, things)) else []
        if not anything and not _counts(want, lowered, things):
            return []
        # a figure of the thing counted stands near it ("6500万个视频", "月活…达7913万"), not
        # one of another thing in the sentence ("字节在视频方向上…推出了两款视频模型")
        near = [] if anything else _thing_spots(lowered, things)
        spots = [m.start() for m in _FIGURE.finditer(undated)
                 if not near or _beside(near, m.end())]
        # a thing is not counted in 元 or in minutes unless it is a sum or a time ("生成一个5秒
        # 的视频,需消耗10个灵感值(1灵感值=1元)" gives no number of videos; 成本 is in 元)
        counted_words = " ".join([want.detail, *things])
        measures = [pattern for pattern, own in ((_MONEY_V, _SUM_NOUN), (_DURATION_V, _TIME_NOUN))
                    if not own.search(counted_words)]
        other = of_other | {i for pattern in measures for m in pattern.finditer(undated)
                            for i in range(m.start(), m.end())}
        if anything:  # … and a use is counted, not a share ("比行业便宜99.3%" is no use)
            other |= {i for m in _PERCENT_V.finditer(undated) for i in range(m.start(), m.end())}
        return [spot for spot in spots if spot not in other]
    if want.kind == "attribute":
        return [m.start() for m in _ATTRIBUTE_V[int(want.detail)].finditer(sentence)]
    if want.kind == "pick" and want.thing and things and not _names_one(lowered, things):
        return []  # a standing, but not by what the question picks by
    if want.kind == "market":
        if want.thing and any(has_cjk(t) for t in things) and not _names_one(lowered, things):
            return []  # a forecast for the AI agent market is none for the LLM market
        if want.detail == "now":
            if _FORECAST.search(sentence):
                return []  # a forecast for 2028 is no size today
        elif want.detail and want.detail not in sentence:
            return []  # a forecast for 2028 is no size for 2025
        return [m.start() for m in _MARKET_V.finditer(undated)]
    if want.kind == "money" and want.detail and not dict(_AMOUNTS)[want.detail].search(sentence):
        return []
    if want.kind == "money" and want.thing and not dict(_MEDIA)[want.thing].search(sentence):
        return []  # a text model's token price is no price of its video model
    found = [m.start() for m in _VALUES[want.kind].finditer(sentence)]
    if want.kind == "money" and want.detail == "price" and want.thing:
        # "free" is the price of what it says is free ("可免费使用的视频模型": a video's price),
        # not of a paid tier or another product of the same firm (its tokens)
        found += [m.start() for m in _FREE.finditer(sentence)]
    return found


# counted things that are sums of money or spans of time: a figure in 元 or minutes counts them
_SUM_NOUN = re.compile(r"成本|费用|价格|花费|花销|开销|代价|钱|收入|营收|金额|预算|投资|融资|估值|"
                       r"售价|定价|市场|规模|销售额|营业额|\bcosts?\b|\bprices?\b|\bfees?\b|"
                       r"\brevenue\b|\bspend|\bmarkets?\b|\bsales\b", re.I)
_TIME_NOUN = re.compile(r"时间|时长|耗时|多久|工期|周期|\btime\b|\bduration\b|\bwait", re.I)
# a figure, its measure word and the noun it counts ("10个灵感值", "1.75亿张图片")
_COUNT_OF = re.compile(r"\d[\d.,]*\s*(?:万|亿)?\s*[个张部条款段幅件篇集]"
                       r"(?P<noun>[\u4e00-\u9fffa-z])")


# what costs nothing: the answer to what it costs ("可免费使用的视频模型“清影”")
_FREE = re.compile(r"免费|不收费|不要钱|\bfree of charge\b|\bfor free\b|\bfree to use\b", re.I)


# counted things that are people: a sum of money or a duration is no count of them
_PEOPLE = re.compile(r"用户|月活|日活|人数|会员|订阅|员工|客户|粉丝|玩家|开发者|观众|"
                     r"\busers?\b|\bsubscribers?\b|\bmembers?\b|\bcustomers?\b|\bclients?\b|"
                     r"\bemployees?\b|\bstaff\b|\bpeople\b|\bfans?\b|\bplayers?\b|"
                     r"\bdevelopers?\b|\bviewers?\b|\bmau\b|\bdau\b", re.I)


_ARTICLE_MEASURES = "个款次家部项位名种条篇集"  # measure words after which 一 reads "a"
_NUMERALS = "0123456789一二两三四五六七八九十百千万"


def _unit_spots(unit: str, text: str) -> list[int]:
    """Where a figure followed by ``unit`` stands: "十年", "30年", "九位", "755.8万次", "38.49%"."""
    if unit == "%":
        pattern = r"\d\s*[%％]|百分之"
    else:
        pattern = rf"[\d一二两三四五六七八九十百千万][余多]?\s*{re.escape(unit)}"
    # (a lone 一个/一款/一次 is the article "a"/"once", as for any figure; 一年 is a year)
    article = unit in _ARTICLE_MEASURES
    return [m.start() for m in re.finditer(pattern, text)
            if not (article and text[m.start()] == "一" and (
                m.start() == 0 or text[m.start() - 1] not in _NUMERALS))]


def _in_units(unit: str, text: str) -> bool:
    """A figure followed by ``unit``: "十年", "30年", "九位", "755.8万次", "38.49%"."""
    return bool(_unit_spots(unit, text))


_COUNT_AFTER_REACH = 12  # characters from a figure to the thing it counts ("超1.75亿张图片")
_COUNT_BEFORE_REACH = 12  # … or from the thing to its figure after it ("月活规模从3303万…")


def _counts(want: Wanted, lowered: str, things: Sequence[str]) -> bool:
    """The sentence names the counted thing (as a noun: 视频 in 两款视频模型 is a model's kind,
    no video counted), or gives a figure in the question's unit."""
    return bool(_thing_spots(lowered, things)) or bool(
        want.unit and _in_units(want.unit, _DATES.sub(" ", lowered)))


def _beside(near: Sequence[int], figure: int) -> bool:
    """Whether the counted thing, at one of ``near``, stands within reach of a figure at
    ``figure``: up to ``_COUNT_AFTER_REACH`` after it or ``_COUNT_BEFORE_REACH`` before it."""
    return any(-_COUNT_BEFORE_REACH <= at - figure <= _COUNT_AFTER_REACH for at in near)


def _thing_spots(lowered: str, things: Sequence[str]) -> list[int]:
    """Where a (lower-cased) sentence names one of the counted ``things`` as a noun, not as the
    modifier of another (视频 of 视频模型)."""
    return [m.start() for t in things if t for m in re.finditer(re.escape(t.lower()), lowered)
            if _MODIFIES.match(lowered, m.end()) is None]


# a noun that makes the word before it a modifier (视频|模型: a video model, not a video)
_MODIFIES = re.compile(r"(?:大)?模型|赛道|平台|工具|应用|厂商|公司|领域|行业|功能|产品|"
                       r"\s*models?\b")


def _names_one(lowered: str, things: Sequence[str]) -> bool:
    """Whether a (lower-cased) sentence names one of ``things``."""
    return any(t.lower() in lowered for t in things)


def answerable(question: str, passages: Sequence[str], about: Sequence[str],
               index: EntityIndex | None = None, things: Sequence[str] = (),
               elsewhere: Callable[..., bool] | None = None,
               want: Wanted | None = None, event: Sequence[Sequence[str]] = ()) -> bool:
    """False when the question asks for a specific kind of answer that no sentence of the
    passages (about the entities it names, ``about``: their surface forms) can give. For a
    count, ``things`` are the counted thing's renderings in the passages' languages (none
    known: the question is not judged). ``want``: ``wanted(question)`` when the caller has
    read it already. ``event``: words (each with its renderings) the sentence and its
    surroundings must name ("下半场", "开始" for when the second half starts)."""
    held = holding_sentences(question, passages, about, index, things, elsewhere, want, event,
                             first=True)
    return held is None or bool(held)


def holding_sentences(question: str, passages: Sequence[str], about: Sequence[str],
                      index: EntityIndex | None = None, things: Sequence[str] = (),
                      elsewhere: Callable[..., bool] | None = None,
                      want: Wanted | None = None, event: Sequence[Sequence[str]] = (),
                      first: bool = False) -> list[str] | None:
    """The sentences of the passages that hold the kind of answer the question asks for
    (``answerable``'s arguments); None when the question is not judged (any sentence may
    answer it); ``first``: stop at the first."""
    want = want or wanted(question)
    if want is None or want.kind == "role" and not about:
        return None  # "Who is leading the race?": a role of no one in particular
    if want.kind == "count" and want.detail not in _MEASURES and not things:
        return None  # "how many weaknesses": no rendering of the word to look for
    if want.kind == "role" and index is not None and _has_role(index, about, want):
        return None
    # (a figure the question only checks may be the article's own: "…约50亿元,对吗?")
    given = [] if any(checks_claim(c) for c in _PREMISE_BREAK.split(question)) \
        else given_figures(question)
    asked = _CONTRAST.sub("", question)  # "for consumers, as opposed to enterprises"
    scopes = [_scope(asked, sides) for sides in _SCOPES]
    limit = want.kind in _LIMITED and bool(_LIMIT_Q.search(asked) or _LONGER_Q.search(asked))
    release = _RELEASE.search(asked) if want.kind == "improved" else None
    rate = next((said for asks, said in _RATES if asks.search(asked)),
                None) if want.kind in _LIMITED else None
    changed = want.kind == "reason" and bool(_CHANGE_ASKED.search(asked))
    per_image = want.kind in ("count", "money") and bool(_PER_IMAGE.search(asked))
    held = []
    for sentence, context in sentences_of(
            passages, REASON_AHEAD if want.kind == "reason" else LOOK_AHEAD):
        if ((not limit or _LIMIT_V.search(sentence))
                and (not per_image or _IMAGE_V.search(sentence))
                and (release is None or release.group(1) in sentence)
                and (rate is None or rate.search(sentence))
                and all(_names_one(context.lower(), group) for group in event)
                and all(len(scope) != 1 or not (said := _scope(sentence, sides))
                        or scope <= said for scope, sides in zip(scopes, _SCOPES, strict=True))
                and holds(want, sentence, about, context, things, elsewhere, given,
                          changed)):
            held.append(sentence)
            if first:
                break
    return held


# what a release improved ("可灵升到1.6之后强在哪"): told of that release, not of the product at
# large ("图源:可灵 …改善")
_RELEASE = re.compile(r"(?<![\d.])(\d+\.\d+(?:\.\d+)?)(?![\d.])")


# a figure asked per image ("生成一张图片要扣几个灵感值", "per image"): given where the sentence
# speaks of images, not per video clip ("生成一个5秒的视频,需消耗10个灵感值")
_PER_IMAGE = re.compile(r"[一每]张(?:图|图片|照片|图像)|"
                        # (not "a picture of how much…": an overview)
                        r"\b(?:an?|one|per|each|single) (?:image|photo)\b", re.I)
_IMAGE_V = re.compile(r"图片|图像|照片|张图|\bimages?\b|\bpictures?\b|\bphotos?\b", re.I)


# a limit ("最长能生成多长", "the maximum clip length"): a figure given as the most, not the
# length of one clip someone made ("生成一个5秒的片段")
_LIMITED = ("duration", "count", "money", "spec", "headcount")
_LIMIT_Q = re.compile(r"最(?:长|多|高|大)(?:能|可以?|支持)|上限|\bmax(?:imum)?\b|\blongest\b|"
                      # (not a verb's particle: "if I scaled that up to a one-minute video")
                      r"\bat most\b|(?<!\bscale )(?<!\bscaled )(?<!\bscaling )(?<!\bthat )"
                      r"(?<!\bit )(?<!\bthis )(?<!\bthem )(?<!\bramp )(?<!\bramped )\bup to\b",
                      re.I)
# whether it can go past a length ("能生成超过10秒的视频吗", "clips longer than two minutes"):
# a limit too, of a duration
_LONGER_Q = re.compile(r"(?:超过|多于|长于)\s*[\d一二两三四五六七八九十半]+\s*(?:秒|分钟|小时)|"
                       r"[\d一二两三四五六七八九十]+\s*(?:秒|分钟|小时)以上|"
                       r"\b(?:longer|more) than (?:\d+|one|two|three|four|five|ten|twenty|thirty|"
                       r"sixty) (?:seconds?|minutes?|hours?)\b", re.I)
_LIMIT_V = re.compile(r"最长|最多|最高|最大|上限|可达|长达|高达|至多|不超过|以内|之内|\bup to\b|"
                      r"\bmax(?:imum)?\b|\bat most\b|\blongest\b", re.I)
# a figure asked per period ("how many credits per month", 每天能生成几次): given per that
# period, not per clip ("需消耗10个灵感值" is no monthly allowance)
_RATES = ((re.compile(r"每个?月|一个月|月均|包月|\bper month\b|\ba month\b|\bmonthly\b|"
                      r"\bevery month\b", re.I), re.compile(r"月|\bmonth", re.I)),
          (re.compile(r"每天|每日|一天|日均|\bper day\b|\ba day\b|\bdaily\b|\bevery day\b",
                      re.I), re.compile(r"天|日|\bday|\bdaily\b", re.I)),
          (re.compile(r"每年|一年|年均|\bper year\b|\ba year\b|\bannual(?:ly)?\b|"
                      r"\bevery year\b", re.I), re.compile(r"年|\byear|\bannual", re.I)))


# which of two named things is cheaper or faster ("可灵和即梦比,哪个出一个5秒视频更快?", "Is
# Kling or Jimeng cheaper …?"): answered only when the text gives each of them a value of that
# kind, a price or a time, not when it gives one of them alone
_VERSUS = (
    ("money", re.compile(r"更便宜|更贵|更划算|便宜些|贵些|价格更低|价格更高|成本更低|成本更高|"
                         r"\bcheaper\b|\bpricier\b|\bmore expensive\b|\bless expensive\b|"
                         r"\bcosts? (?:more|less)\b", re.I)),
    ("duration", re.compile(r"更快|更慢|快些|慢些|耗时更短|耗时更长|等得更久|\bfaster\b|"
                            r"\bslower\b|\bquicker\b|\btakes? (?:longer|less time)\b",
                            re.I)),
)


# a figure asked of one thing beside another's ("What does Kimi charge … compared with Doubao?",
# "跟豆包比,Kimi的定价是多少"): each needs its own, not the other's alone
_COMPARED_WITH = re.compile(r"\bcompared? (?:with|to)\b|\bversus\b|\bvs\.?\s|\brelative to\b|"
                            r"相比|比起|相较|(?:跟|和|与)[^，,。？?]{1,12}比(?!例|重|率)", re.I)
_FIGURES = ("money", "count", "duration")


def versus(question: str) -> Wanted | None:
    """The kind of value a question comparing two named things asks of each (``_VERSUS``), or
    that a question asks of one beside the other (``_COMPARED_WITH``)."""
    for kind, pattern in _VERSUS:
        if pattern.search(question):
            return Wanted(kind)
    if _COMPARED_WITH.search(question):
        want = wanted(question)
        if want is not None and want.kind in _FIGURES:
            return Wanted(want.kind, want.detail)
    return None


# a why-question ("为什么", "why", "what led …") is answered by a reason: a causal word in the
# sentence that names its subject, or in the one after ("…姗姗来迟。" with no cause anywhere is
# no answer to why it came late)
_REASON_Q = re.compile(rf"为什么|{WHY_WEIHE}|为啥|怎么会|何以|什么原因|(?:的|是)原因"
                       rf"|缘由|缘何|凭什么|{WHY_ASKED}|\b(?:{WHY_ASKED_EN})\b|\bwhy\b|"
                       r"\bhow come\b|\bwhat (?:made|led|caused|drove|prompted|pushed)\b|"
                       r"\breasons? (?:for|why|behind)\b", re.I)
_REASON_V = re.compile(r"因为|由于|原因|在于|所以|因此|因而|导致|为了|之所以|源于|毕竟|于是|既然|"
                       r"缘于|出于|考虑到|目的|旨在|意在|归功于|得益于|受[^，,。]{0,8}影响|使得|"
                       r"造成|以便|从而|以免|为此|正因|背后|驱动|决定了|取决于|意味着|说明|"
                       # an aim is a reason too ("创业公司希望避开大厂的射程": why they keep away)
                       r"希望|想要|力图|试图|寻求|"
                       r"\b(?:aims?|aimed|seeks?|sought|hopes?|hoped|wants?|wanted) to\b|"
                       r"\bbecause\b|\bdue to\b|\bsince\b|\bas a result\b|\bso that\b|"
                       r"\bin order to\b|\breasons?\b|\bdriven by\b|\bthanks to\b", re.I)
# what went before, as the subject of what it changed ("需求却不断增长,这进一步增加了…技术难度和
# 研发成本"): why something rose or fell, when the question asks that (_CHANGE_ASKED), not why
# 混元 came late
_REASON_THIS = re.compile(r"这(?:[也就又更还]|进一步|无疑|直接|势必|必然)*(?:增加|加大|提高|推高|"
                          r"抬高|加剧|降低|拉低|压低|限制|制约|削弱|放大)了")
_CHANGE_ASKED = re.compile(r"上升|上涨|增加|增长|提高|提升|变高|变大|变难|加大|加剧|攀升|走高|"
                           r"往上走|越来越|下降|降低|减少|变低|下滑|下跌|走低|"
                           r"\b(?:rise|rising|rose|risen|grow|growing|grew|increase[sd]?|"
                           r"increasing|climb(?:s|ing|ed)?|go(?:es|ing)? up|went up|harder|higher|"
                           r"(?:push(?:es|ed|ing)?|driv(?:es?|en|ing)|drove) up|"
                           r"fall(?:s|ing)?|fell|drop(?:s|ping|ped)?|decline[sd]?|declining)\b",
                           re.I)
# …unless it asks why someone says or thinks so: the view quoted is its own reasoning ("文生视频的
# 成功率不高,图生视频更主流" answers why 凯撒 says image-to-video is the mainstream)
_VIEW_REASON = re.compile(r"(?:为什么|为何|为啥|凭什么|何以)[^，,。？?]{0,4}"
                          r"(?:说|认为|觉得|表示|称|判断|看好|不看好|强调|坚持|担心|建议|预测|提醒"
                          r"|劝|主张|呼吁|告诫|提议)|"
                          r"\bwhy (?:do|does|did|would|is|was) [^?]{1,60}?"
                          r"\b(?:say|says|said|think|thinks|believe|believes|argue|argues|feel|"
                          r"feels|consider|considers|warn|warns|suggest|suggests|predict|predicts|"
                          r"see|sees|call|calls|reckon|reckons|reckoned|claim|claims|claimed|"
                          r"expect|expects|insist|insists|conclude|concludes|concluded|"
                          r"urge|urges|urged|advise|advises|advised)\b|"
                          # why, in someone's view ("why, in the view of X's VP, do…")
                          r"\bwhy\b[^?]{0,80}\b(?:in the (?:view|opinion|eyes) of|according to"
                          r"(?! (?:the |this |that |both |either )?(?:articles?|reports?|pieces?|"
                          r"stor(?:y|ies)|texts?|documents?|sources?|news|papers?)\b)|"
                          r"in [^?]{1,40}['’]s (?:view|opinion|eyes))\b|"
                          r"为什么[^？?]{0,30}(?:在[^，,。？?]{1,20}看来|按[^，,。？?]{1,20}的说法)|"
                          # the view first ("X的副总裁觉得…为什么还在往上走", "X认为…缘由为何")
                          r"(?:认为|觉得)[^？?。]{0,30}(?:为什么|为何|为啥|缘由|缘何)|"
                          r"(?:在[^，,。？?]{1,20}看来|按[^，,。？?]{1,20}的说法)[^？?]{0,30}为什么|"
                          r"\b(?:lukewarm|skeptical|sceptical|bullish|"
                          r"bearish|optimistic|pessimistic|cautious|wary)\b", re.I)
REASON_AHEAD = 80  # characters after the sentence where its reason may follow
# what a why-question compares its subject with ("为什么比字节、快手晚", "later than Kling"): the
# reason is the subject's, not a rival's
_COMPARED = re.compile(r"比|相比|相较|不如|\bthan\b|\bcompared\b|\bversus\b|\bvs\.?\b|"
                       r"\brivals?\b|\bcompetitors?\b", re.I)


def reason_subject(question: str) -> str:
    """The part of a why-question that names whose reason it asks: before what it is compared
    with; all of it when it compares nothing."""
    found = _COMPARED.search(question)
    return question[:found.start()] if found and found.start() > 0 else question


# the market a figure is given for: consumers (C端) or businesses (B端); a price for businesses
# does not answer what consumers pay, as a figure for another month does not
_CONSUMERS = re.compile(r"个人用户|个人消费者|普通用户|消费者|C端|to ?C\b|\bconsumers?\b|"
                        r"\bindividual (?:users?|customers?)\b|\bpersonal use\b", re.I)
_BUSINESSES = re.compile(r"企业|B端|to ?B\b|政企|\benterprises?\b|\bbusiness customers?\b|"
                         r"\bcorporate\b", re.I)


# the region a figure is given for: the world, China or the US; a forecast for China's market
# does not answer how big the global one (or the American one) will be
_WORLD = re.compile(r"全球|全世界|世界范围|海外|国外|\bglobal(?:ly)?\b|\bworld(?:wide|'s)?\b|"
                    r"\binternational(?:ly)?\b|\boverseas\b", re.I)
_CHINA = re.compile(r"中国|国内|我国|全国|\bChina\b|\bChinese\b|\bdomestic\b", re.I)
_US = re.compile(r"美国|(?-i:\bUS\b|\bUSA\b|\bU\.S\.)|\bAmerica(?:n|ns)?\b", re.I)


# a clause naming what the question does not ask about
_CONTRAST = re.compile(r"\b(?:as opposed to|rather than|instead of|unlike|not)\b[^,;?]*|"
                       r"(?:而不是|而非|不是|并非)[^，,；;？?]*", re.I)


# what a figure is for, each with the sides it may name: a question naming one side is answered
# only by a sentence naming that side or none
_SCOPES = ((("consumers", _CONSUMERS), ("businesses", _BUSINESSES)),
           (("world", _WORLD), ("china", _CHINA), ("us", _US)))


def _scope(text: str, sides: tuple[tuple[str, re.Pattern[str]], ...]) -> set[str]:
    """The sides of one scope a text names: one, both or neither."""
    return {name for name, pattern in sides if pattern.search(text)}


# a Chinese question asking when something happens: the words on either side of the question
# word name the event ("下半场|什么时候|开始", "数据墙|哪一年能|突破"), and a date answers it
# only where both are named (not 2024年 in a sentence about the first half). How long is read
# so only when it asks how long something lasts ("垃圾时间还要持续多久": not 3—5年 until the
# data runs out); "等多久才能出来" asks the wait the article gives as 生成时间.
_EVENT_ASK = {"when": _WHEN_Q, "year": _YEAR_Q, "day": _DAY_Q, "month": _MONTH_Q,
              "duration": _DURATION_Q}
_LASTS = frozenset("持续 延续 维持 继续 坚持".split())
# the verbs of a product's coming out, one event however written: a month asked of when a
# tool was 发布 is the month it was 推出 ("7月腾讯推出了…Persona Hub"); not 上市 or 发行, which
# also mean a listing or an issue of shares
APPEARING = frozenset("推出 发布 上线 亮相 问世 面世 首发 官宣 出炉 "
                      "出来 放出".split())  # (spoken: "几月份放出来的", "啥时候出来的")
_EVENT_FILLER = re.compile(r"认为|觉得|说|表示|预计|预测|估计|看来|称|大概|大约|大致|能|会|要|还|"
                           r"才|就|将|可以|可能|需要|得|已经|究竟|到底|一般|通常|是|在|于")
# the class of a thing launched, which the text names by its own ("腾讯的合成数据工具是几月推出
# 的": "7月腾讯推出了…生成器"): no word of the event
_THING_CLASS = re.compile(r"工具|平台|产品|东西")


# an English question asking when something happens: the verb of the event, the first word
# after the auxiliary that names one ("When will Tencent open an API…": open; "When does the
# second half … start": start); none when it names no such verb ("be available")
_EN_WHEN_EVENT = re.compile(r"\bwhen (?:will|would|did|does|do|is|was|are|were|has|have|had|"
                            r"can|could|should)\s+(.+)", re.I)
_EN_EVENT_VERBS = frozenset("open launch release start begin end announce unveil ship debut "
                            "arrive close shut list raise acquire merge split join leave publish "
                            "update upgrade enter exit".split())


def _event_verb(word: str) -> bool:
    """Whether an English word is one of ``_EN_EVENT_VERBS`` in any inflection ("launches",
    "released", "opened", "shipping")."""
    stems = {word, word[:-1] if word.endswith(("s", "d")) else word,
             word[:-2] if word.endswith(("es", "ed")) else word,
             word[:-3] if word.endswith("ing") else word}
    return bool(stems & _EN_EVENT_VERBS)


# a preposition opening the words after the question word: what follows it is where or to whom
# ("对国内用户开放", "在海外上线"), and the event is the verb that ends them
_COVERB = re.compile(r"[对向给跟在从为替朝往]")


def event_words(question: str, want: Wanted) -> list[str]:
    """The content words right before and right after the question word of a Chinese question
    asking when, the verb of an English one, or the verb of lasting before one asking how long
    ([] for other questions)."""
    ask = _EVENT_ASK.get(want.kind)
    found = ask.search(question) if ask is not None else None
    if found is None:
        return []
    if not has_cjk(found.group(0)):
        english = _EN_WHEN_EVENT.search(question) if want.kind == "when" else None
        if english is None:
            return []
        words = [w.lower() for w in re.findall(r"[A-Za-z][\w'-]*", english.group(1))]
        return next(([w] for w in words if _event_verb(w)), [])
    from index.tokenize import _jieba

    cut = _jieba().cut  # type: ignore[attr-defined]

    def content(text: str) -> list[str]:
        return [str(w) for w in cut(text) if len(str(w)) > 1 and has_cjk(str(w))
                and str(w) not in ZH_STOPWORDS and not _EVENT_FILLER.fullmatch(str(w))]

    before = content(re.split(r"[，,。？?；;！!]", question[:found.start()])[-1])
    if before and _THING_CLASS.fullmatch(before[-1]):
        before = []
    if want.kind == "duration":
        return before[-1:] if before[-1:] and before[-1] in _LASTS else []
    clause = re.split(r"[，,。？?；;！!]", question[found.end():])[0]
    after = content(clause)
    if _COVERB.match(clause.strip()):  # "啥时候对国内用户开放": the verb ends the phrase
        return before[-1:] + after[-1:]
    return before[-1:] + after[:1]


def given_figures(question: str) -> list[str]:
    """The figures a question states itself, with their unit character ("0.0008元", "5秒");
    dates name a period and are not among them."""
    found = [g for m in _GIVEN.finditer(question)
             if not _DATES.match(g := m.group(0).strip())]
    group = _EN_OF_GROUP.search(question)  # "how many of the six tigers": six is the whole
    size = next((w for w in re.findall(r"[a-z]+", group.group(1).lower())
                 if w in _GROUP_SIZES), "") if group else ""
    if size:
        digit, numeral = _GROUP_SIZES[size]
        found += [f"{n}{m}" for n in (digit, numeral) for m in "家个位款名"]
    return found


# the size of a group a question counts members of, as the passages write it
_GROUP_SIZES = {w: (str(i), "一二三四五六七八九十"[i - 1]) for i, w in enumerate(
    "one two three four five six seven eight nine ten".split(), start=1)}


_PREMISE_BREAK = re.compile(r"[，,;；:：]|——|—|\s-\s")


def asked_part(question: str) -> str:
    """The question without the clauses that state a figure as its premise ("快手可灵累计生成了
    超6500万个视频,那生数科技…多少个视频?" asks about 生数科技); all of it when every clause
    states one, or there is one clause, or the others only ask whether the premise holds
    ("据说…约100亿元,这个数字和文章一致吗?": the premise is what is asked)."""
    clauses = [c for c in _PREMISE_BREAK.split(question) if c.strip()]
    asked = [c for c in clauses if not given_figures(c)]
    if asked and all(checks_claim(c) for c in asked):
        return question
    return " ".join(asked) if asked and len(asked) < len(clauses) else question


# a clause asking whether what precedes it is so ("这个数字和文章一致吗", "对吗", "is that
# right?"): the question is the claim's, its figure the one to check, not one to look past
_CHECKING = re.compile(
    r"(?:一致|相符|吻合|符合|对得上|对|准确|属实|是真的|真的|没错|靠谱)(?:吗|么|吧|不)|对不对|"
    r"是不是真的|是否(?:属实|准确|一致)|\b(?:is|was) (?:it|that|this) (?:true|right|correct|"
    r"accurate)\b|\b(?:does|do|did) (?:it|that|this) (?:match|agree with|square with|line up "
    r"with)\b", re.I)


def checks_claim(clause: str) -> bool:
    """Whether a clause of at most a few words asks only whether a claim holds."""
    found = _CHECKING.search(clause)
    return found is not None and len(_CHECKING.sub("", clause).strip(" ?？,，.。!！")) <= 12


def _has_role(index: EntityIndex, names: Sequence[str], want: Wanted) -> bool:
    role = _ROLES[int(want.detail)]
    wanted_names = {fold(name) for name in names}
    for relation in index.relations("works_at"):
        if fold(relation["tail"]) in wanted_names and role.search(relation["role"]):
            return True
    return False
