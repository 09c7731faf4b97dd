"""The shipped example's English translation, and how its approval was (and can be) made.

The English text of ``sources/ntrk-inhibitors.md`` and ``sources/ntrk-talk-clip.srt`` was
written for this project by a translator (``Li Na``) and approved by a second person
(``Tom Baker``) with the real ``pipeline approve``; the catalogs and the audit log
(``locales/en/approvals.jsonl``) are committed. If the msgids change (a reader or the
segmenter changes at merge time), re-run from the repository root::

    python tests/support/example_translation.py

It segments, fills every entry whose msgid is in :data:`TRANSLATIONS` as the translator
would in a PO editor (text in, ``fuzzy`` cleared, ``Last-Translator`` set), runs the checks,
then approves each article as the reviser; it exits non-zero if any step fails or an entry
has no translation here. The transcript (``ntrk-talk-asr``) stays untranslated on purpose:
``pipeline build`` shows it as withheld, with its reason.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TRANSLATOR = "Li Na <li.na@example.org>"
REVISER = "Tom Baker"
REVISION_DATE = "2026-11-02 09:30+0000"
SLUGS = ("ntrk-inhibitors", "ntrk-talk-clip")

TRANSLATIONS = {
    # sources/ntrk-inhibitors.md
    "“钻石靶点”NTRK融合基因：新一代TRK抑制剂带来的新希望": (
        "The “diamond target” NTRK fusion gene: new hope from a next-generation TRK inhibitor"
    ),
    "复旦大学附属肿瘤医院邱立新医生介绍NTRK融合基因为何被称为“钻石靶点”，以及一款国产新一代TRK抑制剂的临床数据。": (
        "Dr Qiu Lixin of Fudan University Shanghai Cancer Center explains why the NTRK fusion "
        "gene is called the “diamond target” and presents clinical data on a next-generation "
        "TRK inhibitor developed in China."
    ),
    "邱立新 副主任医师（复旦大学附属肿瘤医院）": (
        "Qiu Lixin, Associate Chief Physician (Fudan University Shanghai Cancer Center)"
    ),
    "邱立新医生的抖音科普短视频《NTRK融合基因：重磅靶向药》，本项目据其内容改写的示例文章": (
        "An example article adapted by this project from Dr Qiu Lixin’s short educational "
        "video on Douyin, “NTRK fusion genes: blockbuster targeted drugs”"
    ),
    "“钻石靶点”NTRK融合基因": "The “diamond target” NTRK fusion gene",
    "NTRK融合基因是什么？": "What is the NTRK fusion gene?",
    "NTRK基因家族包括NTRK1、NTRK2和NTRK3三个成员，分别负责编码TRKA、TRKB和TRKC三种蛋白。": (
        "The NTRK gene family has three members, NTRK1, NTRK2 and NTRK3, which encode three "
        "proteins: TRKA, TRKB and TRKC respectively."
    ),
    "在正常情况下，这些蛋白参与调控细胞的存活与分化。": (
        "Under normal conditions, these proteins help to regulate cell survival and "
        "differentiation."
    ),
    "如果某个NTRK基因和一个毫不相关的基因“接”在了一起，就会产生异常的TRK<1>融合蛋白</1>。": (
        "If an NTRK gene becomes “joined” to a completely unrelated gene, an abnormal TRK "
        "<1>fusion protein</1> is produced."
    ),
    "邱医生打了个比方：这就像汽车的油门被卡住了，癌细胞因此不停地、失控地生长。": (
        "Dr Qiu compares it to a car whose accelerator pedal is stuck: the cancer cells never "
        "stop growing, and they grow out of control."
    ),
    "为什么叫“钻石靶点”？": "Why is it called the “diamond target”?",
    "这个称呼来自它的两个特点：稀有，而且价值极高。": (
        "The name reflects two of its features: it is rare, and it is extremely valuable."
    ),
    "在全部实体瘤中，NTRK融合只占大约0.3%。": (
        "Across all solid tumours, NTRK fusions account for only about 0.3%."
    ),
    "在婴儿纤维肉瘤、分泌性乳腺癌等少见肿瘤中，它的发生率最高可达90%。": (
        "In less common tumours such as infantile fibrosarcoma and secretory breast carcinoma, its "
        "frequency can be as high as 90%."
    ),
    "换句话说，它在常见癌症（比如肺癌）中很少见，在罕见癌症中却很常见。": (
        "In other words, it is rare in common cancers (such as lung cancer) but common in rare "
        "cancers."
    ),
    "更重要的是，它是一个<1>不限癌种</1>的靶点：无论是肺癌、肉瘤还是甲状腺癌，只要检测发现NTRK融合，就有可能用同一种靶向药物治疗。": (
        "More importantly, it is a <1>tumour-agnostic</1> target: whether the cancer is lung "
        "cancer, a sarcoma or thyroid cancer, if testing finds an NTRK fusion, the patient may "
        "be treated with the same targeted drug."
    ),
    "第一代TRK抑制剂还不够好": "First-generation TRK inhibitors are still not good enough",
    "第一代TRK抑制剂曾是一次重大突破，但仍有三个短板：患者容易出现耐药，安全性不够理想，药物也很难进入大脑去控制脑转移。": (
        "First-generation TRK inhibitors were a major breakthrough, but they still have three "
        "weaknesses: patients tend to develop resistance, their safety is not ideal, and the "
        "drugs have difficulty entering the brain to control brain metastasis."
    ),
    "新一代TRK抑制剂的“4S”优势": "The “4S” advantages of the next-generation TRK inhibitor",
    "复旦大学附属肿瘤医院专家介绍的最新临床数据显示，一款由我国自主研发的新一代TRK抑制剂在以下四个方面弥补了前代药物的不足。": (
        "The latest clinical data presented by experts at Fudan University Shanghai Cancer "
        "Center show that a next-generation TRK inhibitor developed independently in China "
        "improves on earlier drugs in the following four areas, where they were not good "
        "enough."
    ),
    "1. 疗效更强": "1. Stronger efficacy",
    "在携带NTRK基因异常的患者中：": "In patients carrying NTRK gene abnormalities:",
    "指标": "Measure",
    "数据": "Result",
    "肿瘤缩小或消失的患者比例": "Patients whose tumours shrank or disappeared",
    "24个月总生存率": "24-month overall survival rate",
    "疾病控制率": "Disease control rate",
    "2. 入脑能力更强": "2. Better brain penetration",
    "大脑有一道天然屏障，叫作<1>血脑屏障</1>，它能挡住有害物质，也会把很多化疗药和大分子药物挡在外面，所以脑转移一直很难治疗。": (
        "The brain has a natural barrier, the <1>blood-brain barrier</1>, which keeps out "
        "harmful substances but also keeps out many chemotherapy drugs and large-molecule "
        "drugs, so brain metastasis has always been hard to treat."
    ),
    "这款新药能有效穿过血脑屏障：它在脑脊液中的浓度相当于血浆浓度的3.04%。": (
        "This new drug crosses the blood-brain barrier effectively: its concentration in the "
        "cerebrospinal fluid is 3.04% of its plasma concentration."
    ),
    "在有脑转移的患者中，它的颅内客观缓解率达到了100%。": (
        "In patients with brain metastasis, its intracranial objective response rate reached 100%."
    ),
    "3. 安全性更好": "3. Better safety",
    "大多数不良反应为1-2级，而且是可逆的。": (
        "Most adverse reactions were Grade 1-2 and reversible."
    ),
    "因为不良事件而需要停药的患者只有0.7%。": (
        "Only 0.7% of patients had to stop the drug because of adverse events."
    ),
    "4. 对耐药突变更敏感": "4. More sensitive to resistance mutations",
    "靶向治疗的一大难题是获得性耐药：肿瘤发生新的突变，从而躲开药物的作用。": (
        "A major difficulty in targeted therapy is acquired resistance: the tumour develops new "
        "mutations and so escapes the effect of the drug."
    ),
    "这款新一代抑制剂对TRKA G595R、G667C等常见耐药突变都很敏感，对某些耐药突变的抑制作用最高可达第一代药物的285倍。": (
        "This next-generation inhibitor is highly sensitive to common resistance mutations such "
        "as TRKA G595R and G667C, and against certain resistance mutations its inhibitory "
        "effect is up to 285-fold that of first-generation drugs."
    ),
    "如何参加临床试验": "How to take part in a clinical trial",
    "新上市的靶向药物往往价格不菲，而符合条件的患者可以通过参加临床试验免费用上这类新药。": (
        "Newly launched targeted drugs are often expensive, but eligible patients can receive "
        "such new drugs free of charge by taking part in a clinical trial."
    ),
    "目前，这款新一代TRK抑制剂的三期临床试验正在招募患者，儿童患者可以通过“星光计划”参加。": (
        "The Phase 3 trial of this next-generation TRK inhibitor is currently recruiting "
        "patients, and children can take part through the “Starlight Program”."
    ),
    "正在招募的NTRK相关研究可以在<1>ClinicalTrials.gov</1>上查询。": (
        "NTRK-related studies that are recruiting can be found on <1>ClinicalTrials.gov</1>."
    ),
    "写在最后": "Final thoughts",
    "“钻石靶点”告诉我们，在抗癌这件事上，精准比常见更重要。": (
        "The “diamond target” shows that in the fight against cancer, precision matters more "
        "than prevalence."
    ),
    "本文根据邱立新医生的科普内容整理，不能代替医疗建议；": (
        "This article is based on Dr Qiu Lixin’s educational content and is not a substitute "
        "for medical advice;"
    ),
    "具体的治疗方案，请咨询您的肿瘤科医生。": (
        "for a specific treatment plan, please consult your oncologist."
    ),
    # sources/ntrk-talk-clip.srt
    "大家好，我是复旦大学附属肿瘤医院的邱立新医生。": (
        "Hello everyone, I am Dr Qiu Lixin from Fudan University Shanghai Cancer Center."
    ),
    "今天和大家聊一聊被称为“钻石靶点”的NTRK融合基因。": (
        "Today let’s talk about the NTRK fusion gene, which is known as the “diamond target”."
    ),
    "它在全部实体瘤中只占大约0.3%，但在一些罕见肿瘤中，发生率最高可达90%。": (
        "It accounts for only about 0.3% of all solid tumours, but in some rare tumours its "
        "frequency can be as high as 90%."
    ),
    "一款国产新一代TRK抑制剂的数据显示，89.1%的患者肿瘤缩小或消失，24个月总生存率达到90.8%。": (
        "Data on a next-generation TRK inhibitor developed in China show that 89.1% of "
        "patients saw their tumours shrink or disappear, and the 24-month overall survival "
        "rate reached 90.8%."
    ),
    "目前，这款药物的三期临床试验正在招募患者。": (
        "The Phase 3 trial of this drug is now recruiting patients."
    ),
}


def translate_catalogs(root: Path) -> list[str]:
    """Fill the example catalogs as a translator's PO editor would; the msgids left over."""
    sys.path.insert(0, str(root))
    from pipeline.config import load_config
    from pipeline.po.read import read_po_file
    from pipeline.po.write import write_po_file

    config = load_config(root)
    missing = []
    for slug in SLUGS:
        path = config.catalog_path(slug, "en")
        catalog = read_po_file(path)
        entries = []
        for entry in catalog.entries:
            if entry.obsolete:
                entries.append(entry)
                continue
            english = TRANSLATIONS.get(entry.msgid)
            if english is None:
                missing.append(f"{config.relative(path)}:{entry.lineno}: {entry.msgid}")
                entries.append(entry)
                continue
            if entry.msgstr == english and not entry.is_fuzzy:
                entries.append(entry)  # unchanged text keeps its approval
                continue
            entries.append(
                entry.replace(
                    msgstr=english,
                    flags=tuple(flag for flag in entry.flags if flag != "fuzzy"),
                    previous_msgid=None,
                    previous_msgctxt=None,
                    extracted_comments=tuple(
                        comment
                        for comment in entry.extracted_comments
                        if not comment.startswith(("tm ", "mt "))
                    ),
                )
            )
        catalog.entries = entries
        catalog.metadata["Last-Translator"] = TRANSLATOR
        catalog.metadata["PO-Revision-Date"] = REVISION_DATE
        write_po_file(path, catalog)
    return missing


def main() -> int:
    root = Path(__file__).resolve().parents[2]

    def run(*args: str) -> int:
        print("$ pipeline", " ".join(args), flush=True)
        return subprocess.call([sys.executable, "-m", "pipeline", *args], cwd=root)

    if run("segment") != 0:
        return 1
    missing = translate_catalogs(root)
    if missing:
        print("no English translation here for:", *missing, sep="\n  ", file=sys.stderr)
        return 1
    if run("check", *SLUGS) != 0:
        return 1
    for slug in SLUGS:
        if run("approve", slug, "--locale", "en", "--by", REVISER) != 0:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
