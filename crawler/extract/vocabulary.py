"""One vocabulary of the words media-center pages print around an article.

The field rules (``fields.py``: which label starts which value), the body's closing lines
(``body.py``: ``来源：…`` or ``责任编辑：…`` after the text) and the widgets cut from values and
lines are all built from these tuples, so a new label is added once and every rule knows it.
"""

from __future__ import annotations

OUTLET = "outlet"
TIME = "time"
AUTHOR = "author"
EDITOR = "editor"
STOP = "stop"

LABELS: dict[str, tuple[str, ...]] = {
    OUTLET: (
        "信息来源", "文章来源", "新闻来源", "稿件来源", "内容来源", "来源", "稿源", "出处",
        "发布机构", "发布单位", "供稿单位", "供稿", "来源单位", "信息提供", "發佈機構", "發布單位",
        "資料來源", "信息來源", "文章來源", "來源", "稿源",
        "转载自", "转自", "摘自", "选自", "出自", "来自", "來自",
        "Source", "Release", "From", "Publisher",
    ),
    TIME: (
        "发布时间", "发布日期", "发表时间", "发表日期", "更新时间", "更新日期", "时间", "日期",
        "发稿时间", "发稿日期", "发布于", "发表于", "更新于", "刊发时间", "上传时间", "录入时间",
        "發佈日期", "發布日期", "發佈時間", "發布時間", "發表時間", "更新時間", "時間", "日期",
        "Release time", "Release date", "Release Date", "Publish time", "Publish date",
        "Date published", "Date of release", "Published on", "Published",
        "Posted on", "Posted", "Updated", "Update", "Date", "Time",
    ),
    AUTHOR: (
        "作者", "记者", "撰稿", "撰文", "文字", "記者", "Author", "Reporter", "Writer", "Written by", "By",
    ),
    EDITOR: (
        "责任编辑", "责编", "编辑", "編輯", "責任編輯", "责任编审", "Editor", "Edited by",
    ),
    STOP: (
        "浏览次数", "浏览量", "浏览", "点击数", "点击量", "点击", "阅读量", "阅读次数", "阅读", "访问量",
        "字体", "字号", "打印", "分享到", "分享", "审核", "审校", "校对", "摄影", "通讯员", "访问次数",
        "发布机关", "索引号", "文号", "发文字号", "主题分类", "成文日期", "有效性", "生效日期",
        "废止日期", "实施日期", "施行日期", "有效期", "版次", "版面", "期数", "排版", "摘要", "内容摘要",
        "导语", "内容提要", "关键词", "关键字", "Keywords", "Summary", "Abstract",
        "瀏覽次數", "點擊", "字體", "列印", "分享到", "Views", "Page views", "Hits", "Clicks", "Reads",
        "Font size", "Font",
        "Print", "Share to", "Share", "Photo", "Photographer",
    ),
}  # fmt: skip

# Labels of the people and checks credited after the text: closing lines, never body text.
CREDIT_LABELS = (
    "审核", "审校", "校对", "终审", "初审", "复审", "通讯员", "摄影", "翻译", "Translator", "Photo",
    "原标题", "出品", "编译", "整合", "素材来源", "作者单位", "策划", "监制",
)  # fmt: skip

# Widgets printed right after a value: "证券市场红周刊 举报", "长江网 调整字体", "第一财经日报 网友评论 0 条".
WIDGET_WORDS = (
    "举报", "纠错", "调整字体", "字体", "字号", "打印", "分享", "收藏", "关闭", "评论", "网友评论",
    "我要评论", "复制链接", "浏览", "阅读", "点击", "访问", "瀏覽", "閱讀", "點擊", "字體", "列印",
)  # fmt: skip

# Headings of the boxes printed after the text about its author ("作者简介", "诗人简介 more>"):
# nothing from such a heading on is the article's text.
PROFILE_HEADINGS = (
    "作者简介", "诗人简介", "博主简介", "作家简介", "译者简介", "个人简介", "作者介绍", "关于作者",
    "作者簡介", "個人簡介", "About the author", "About the writer",
)  # fmt: skip

# Headings of a table of contents printed above the text of a long document.
CONTENTS_HEADINGS = ("目录", "目錄", "目次", "Contents", "Table of contents")  # fmt: skip

# Labels a page prints over the text itself ("原文：" above a poem): a field's name, not its text.
TEXT_LABELS = ("原文", "正文", "全文", "内容", "內容", "Text")  # fmt: skip
