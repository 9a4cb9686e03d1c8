/** Strings of the supervision screens (zh-CN). */
export default {
  title: '',
};
